using System.Collections.Concurrent;
using LazyAf.Modules.Access.Contracts;
using Microsoft.AspNetCore.Authorization;

namespace LazyAf.Modules.Access.Features.Credentials;

/// <summary>The caller's credential carries <see cref="Scope"/> (or <c>admin</c>, which stands in for every scope).</summary>
internal sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    private static readonly ConcurrentDictionary<string, AuthorizationPolicy> Policies = new(StringComparer.Ordinal);

    public string Scope { get; } = scope;

    /// <summary>An authenticated caller with <paramref name="scope"/>; one policy object per scope.</summary>
    public static AuthorizationPolicy PolicyFor(string scope) =>
        Policies.GetOrAdd(scope, s => new AuthorizationPolicyBuilder().RequireAuthenticatedUser().AddRequirements(new ScopeRequirement(s)).Build());

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.User.HasClaim(AccessClaims.Scope, requirement.Scope) || context.User.HasClaim(AccessClaims.Scope, Scopes.Admin))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}
