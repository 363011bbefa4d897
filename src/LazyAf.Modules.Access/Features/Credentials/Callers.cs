using LazyAf.Kernel.Storage;
using LazyAf.Modules.Access.Data;
using LazyAf.Modules.Access.Domain;
using LazyAf.Modules.Access.Features.StepTokens;

namespace LazyAf.Modules.Access.Features.Credentials;

/// <summary>Finds whom a presented token speaks for: a live step token, else a stored token that is neither revoked nor expired.</summary>
internal sealed class Callers(TokenStore tokens, StepTokenRegistry steps, TimeProvider clock)
{
    // Last-used times are kept to the minute: a write per request would queue every request on SQLite's one writer.
    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public async Task<Caller?> FindAsync(string token, CancellationToken ct)
    {
        if (token.StartsWith(TokenSecret.StepPrefix, StringComparison.Ordinal))
            return steps.Find(token);
        if (!token.StartsWith(TokenSecret.Prefix, StringComparison.Ordinal))
            return null;
        var row = await tokens.FindByHashAsync(TokenSecret.Hash(token), ct);
        var now = clock.GetUtcNow();
        if (row is null || row.RevokedAt is not null || row.ExpiresAt <= now)
            return null;
        if (row.LastUsedAt is not { } used || now - used >= TouchEvery)
            await TouchAsync(row.Id, now, ct);
        return new Caller(row.UserName, row.Kind, row.ScopeList, row.UserId, row.Id);
    }

    // A read must not be refused because its token's last use cannot be written: on a full data directory it goes unrecorded.
    private async Task TouchAsync(string id, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            await tokens.TouchAsync(id, at, ct);
        }
        catch (Exception ex) when (DataDirectorySpace.IsDiskFull(ex))
        {
        }
    }
}
