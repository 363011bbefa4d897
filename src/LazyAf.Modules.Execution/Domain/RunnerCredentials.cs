using System.Security.Cryptography;
using System.Text;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Registration tokens and runner credentials: random secrets shown once; only their SHA-256 is stored, and
/// comparing hashes in fixed time leaks nothing about how close a guess was.
/// </summary>
internal static class RunnerCredentials
{
    /// <summary>Prefix of registration tokens, so a leaked one is recognisable.</summary>
    public const string RegistrationPrefix = "lzreg_";

    /// <summary>Prefix of runner credentials.</summary>
    public const string RunnerPrefix = "lzrun_";

    public static string NewRegistrationToken() => RegistrationPrefix + Secret();

    public static string NewRunnerCredential() => RunnerPrefix + Secret();

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool Matches(string secret, string hash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(hash));

    private static string Secret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
