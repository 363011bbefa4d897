using System.Security.Cryptography;
using System.Text;
using LazyAf.Modules.Triggers.Domain;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Triggers.Features.Webhooks;

/// <summary>
/// Whether a delivery comes from who holds the webhook's secret: GitHub's <c>X-Hub-Signature-256</c>
/// (HMAC-SHA256 of the raw body; also accepted for generic webhooks that have a secret) or GitLab's
/// <c>X-Gitlab-Token</c>. Both compared in constant time, so timing does not leak the expected value.
/// </summary>
internal static class WebhookSignature
{
    public const string HubSignatureHeader = "X-Hub-Signature-256";
    public const string GitLabTokenHeader = "X-Gitlab-Token";
    private const string Sha256Prefix = "sha256=";

    public static bool IsAuthentic(string provider, string? secret, IHeaderDictionary headers, ReadOnlySpan<byte> body)
    {
        if (secret is null)
            return provider == Webhook.Generic;
        return provider == Webhook.GitLab
            ? FixedTimeEquals(headers[GitLabTokenHeader].ToString(), secret)
            : HmacMatches(headers[HubSignatureHeader].ToString(), secret, body);
    }

    /// <summary>The header value a sender computes: <c>sha256=</c> and the hex HMAC of the body.</summary>
    public static string Sign(string secret, ReadOnlySpan<byte> body) =>
        Sha256Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    private static bool HmacMatches(string header, string secret, ReadOnlySpan<byte> body)
    {
        if (!header.StartsWith(Sha256Prefix, StringComparison.Ordinal) || header.Length != Sha256Prefix.Length + 64)
            return false;
        byte[] given;
        try
        {
            given = Convert.FromHexString(header.AsSpan(Sha256Prefix.Length));
        }
        catch (FormatException)
        {
            return false;
        }
        return CryptographicOperations.FixedTimeEquals(given, HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
    }

    // Hashing first gives both sides the same length, so the comparison time does not depend on the secret's length either.
    private static bool FixedTimeEquals(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
