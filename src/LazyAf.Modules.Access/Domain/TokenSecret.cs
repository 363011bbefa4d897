using System.Security.Cryptography;
using System.Text;

namespace LazyAf.Modules.Access.Domain;

/// <summary>
/// Tokens are 32 random bytes behind a prefix that says what they are (so secret scanners and people can
/// tell them apart). Only their SHA-256 is stored: with that much entropy a fast hash is enough.
/// </summary>
internal static class TokenSecret
{
    public const string Prefix = "lazyaf_";
    public const string StepPrefix = "lazyaf_step_";

    public static string New(string prefix = Prefix) => prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
