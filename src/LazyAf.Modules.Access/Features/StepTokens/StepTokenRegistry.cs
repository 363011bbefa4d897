using System.Collections.Concurrent;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Domain;

namespace LazyAf.Modules.Access.Features.StepTokens;

/// <summary>Step tokens by hash, in memory only: a restart ends them all, as it ends the steps they were for.</summary>
internal sealed class StepTokenRegistry(TimeProvider clock) : IStepTokens
{
    private sealed record Grant(string ExecutionId, string RepoId, string Branch, DateTimeOffset ExpiresAt);

    private readonly ConcurrentDictionary<string, Grant> _grants = new(StringComparer.Ordinal);

    public StepToken Issue(string executionId, string repoId, string workBranch, TimeSpan lifetime)
    {
        ForgetExpired();
        var token = TokenSecret.New(TokenSecret.StepPrefix);
        var hash = TokenSecret.Hash(token);
        var grant = new Grant(executionId, repoId, workBranch, clock.GetUtcNow() + lifetime);
        _grants[hash] = grant;
        return new StepToken(token, grant.ExpiresAt, () => _grants.TryRemove(hash, out _));
    }

    public StepToken? Reinstate(string token, string executionId, string repoId, string workBranch, TimeSpan lifetime)
    {
        if (!token.StartsWith(TokenSecret.StepPrefix, StringComparison.Ordinal))
            return null;
        var hash = TokenSecret.Hash(token);
        var grant = new Grant(executionId, repoId, workBranch, clock.GetUtcNow() + lifetime);
        // A token that is live already stays whose it is.
        if (!_grants.TryAdd(hash, grant))
            return null;
        return new StepToken(token, grant.ExpiresAt, () => _grants.TryRemove(hash, out _));
    }

    /// <summary>The caller a live step token speaks for, or null.</summary>
    public Caller? Find(string token)
    {
        if (!_grants.TryGetValue(TokenSecret.Hash(token), out var grant) || grant.ExpiresAt <= clock.GetUtcNow())
            return null;
        return new Caller($"step:{grant.ExecutionId}", TokenKinds.Step, [Scopes.Read, Scopes.Cards], null, null)
        {
            Step = (grant.RepoId, grant.Branch),
        };
    }

    private void ForgetExpired()
    {
        var now = clock.GetUtcNow();
        foreach (var (hash, grant) in _grants)
        {
            if (grant.ExpiresAt <= now)
                _grants.TryRemove(hash, out _);
        }
    }
}
