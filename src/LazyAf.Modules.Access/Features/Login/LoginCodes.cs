using System.Collections.Concurrent;
using LazyAf.Modules.Access.Domain;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Access.Features.Login;

/// <summary>
/// One-time login codes for the board, in memory (a restart ends them): each opens one session for its user with
/// the scopes of whoever asked for it, within <c>Security:LoginCodeLifetime</c>.
/// </summary>
internal sealed class LoginCodes(TimeProvider clock, IOptions<AccessOptions> options)
{
    public sealed record Grant(string UserId, IReadOnlyList<string> Scopes, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Grant> _codes = new(StringComparer.Ordinal);

    public (string Code, DateTimeOffset ExpiresAt) Issue(string userId, IReadOnlyList<string> scopes)
    {
        var now = clock.GetUtcNow();
        foreach (var (hash, old) in _codes)
        {
            if (old.ExpiresAt <= now)
                _codes.TryRemove(hash, out _);
        }
        var code = TokenSecret.New("");
        var grant = new Grant(userId, scopes, now + options.Value.LoginCodeLifetime);
        _codes[TokenSecret.Hash(code)] = grant;
        return (code, grant.ExpiresAt);
    }

    /// <summary>The code's grant, once: a second use, or a use after it expired, gets null.</summary>
    public Grant? Redeem(string code) =>
        _codes.TryRemove(TokenSecret.Hash(code), out var grant) && grant.ExpiresAt > clock.GetUtcNow() ? grant : null;
}
