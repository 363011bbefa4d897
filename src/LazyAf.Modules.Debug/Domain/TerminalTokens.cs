using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Debug.Domain;

/// <summary>
/// One-time tokens that open a session's terminal (a browser's WebSocket cannot send an authorisation header). They
/// live in this host's memory, last <c>Debug:TerminalTokenSeconds</c> and open one terminal once.
/// </summary>
internal sealed class TerminalTokens(IOptions<DebugOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, (string SessionId, DateTimeOffset ExpiresAt)> _tokens = new(StringComparer.Ordinal);

    public (string Token, DateTimeOffset ExpiresAt) Issue(string sessionId)
    {
        var now = clock.GetUtcNow();
        // Expired tokens go when the next one is made, so the map stays as small as the tokens in use.
        foreach (var (old, entry) in _tokens)
        {
            if (entry.ExpiresAt <= now)
                _tokens.TryRemove(old, out _);
        }
        var token = "lzd_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var expires = now.AddSeconds(options.Value.TerminalTokenSeconds);
        _tokens[token] = (sessionId, expires);
        return (token, expires);
    }

    /// <summary>Spends <paramref name="token"/> for <paramref name="sessionId"/>; false when it is unknown, spent, expired or another session's.</summary>
    public bool TryUse(string? token, string sessionId) =>
        token is not null
        && _tokens.TryRemove(token, out var entry)
        && entry.SessionId == sessionId
        && entry.ExpiresAt > clock.GetUtcNow();
}
