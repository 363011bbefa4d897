using System.Security.Claims;
using LazyAf.Modules.Access.Contracts;

namespace LazyAf.Modules.Access.Domain;

/// <summary>Who a credential speaks for and what it may do.</summary>
/// <param name="Name">The user's name, or <c>step:{execution}</c>.</param>
/// <param name="Kind"><c>owner</c>, <c>api</c>, <c>session</c> or <c>step</c>.</param>
/// <param name="Scopes">What it may do.</param>
/// <param name="UserId">The user's id; null for step tokens.</param>
/// <param name="TokenId">The stored token's id; null for step tokens.</param>
internal sealed record Caller(string Name, string Kind, IReadOnlyList<string> Scopes, string? UserId, string? TokenId)
{
    /// <summary>A step token's repo and branch.</summary>
    public (string RepoId, string Branch)? Step { get; init; }

    public ClaimsPrincipal ToPrincipal(string scheme, bool viaCookie)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, Name), new(AccessClaims.Kind, Kind) };
        claims.AddRange(Scopes.Select(scope => new Claim(AccessClaims.Scope, scope)));
        if (UserId is not null)
            claims.Add(new Claim(AccessClaims.UserId, UserId));
        if (TokenId is not null)
            claims.Add(new Claim(AccessClaims.TokenId, TokenId));
        if (viaCookie)
            claims.Add(new Claim(AccessClaims.ViaCookie, "true"));
        if (Step is { } step)
        {
            claims.Add(new Claim(AccessClaims.Repo, step.RepoId));
            claims.Add(new Claim(AccessClaims.PushBranch, step.Branch));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }
}
