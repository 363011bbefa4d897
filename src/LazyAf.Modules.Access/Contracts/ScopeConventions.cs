using LazyAf.Modules.Access.Features.Credentials;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Access.Contracts;

/// <summary>
/// Attaches the scopes a route group needs, where the group is mapped, so no endpoint has to carry its own.
/// GET and HEAD need <c>reads</c>, every other method <c>writes</c>; a write under a route prefix in
/// <c>writesUnder</c> needs that prefix's scope instead. Anything without a scope still needs a credential
/// (the host's fallback policy).
/// </summary>
public static class ScopeConventions
{
    /// <summary>Every request to these endpoints needs <paramref name="scope"/>.</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.RequireScopes(scope, scope);

    /// <summary>
    /// Reads need <paramref name="reads"/>, writes <paramref name="writes"/> (or the scope of the longest matching
    /// prefix in <paramref name="writesUnder"/>, e.g. <c>/git/{repo}.git/git-upload-pack</c> → <c>read</c>).
    /// <paramref name="anonymous"/> names endpoints, as <c>"POST /api/webhooks/{token}"</c>, that check a secret of their own.
    /// </summary>
    public static TBuilder RequireScopes<TBuilder>(
        this TBuilder builder,
        string reads,
        string writes,
        IReadOnlyDictionary<string, string>? writesUnder = null,
        IReadOnlyCollection<string>? anonymous = null) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var scope in new[] { reads, writes }.Concat(writesUnder?.Values ?? []))
        {
            if (!Scopes.IsKnown(scope))
                throw new ArgumentException($"'{scope}' is not a scope.", nameof(builder));
        }
        builder.Add(endpoint =>
        {
            var route = (endpoint as RouteEndpointBuilder)?.RoutePattern.RawText ?? "";
            var methods = endpoint.Metadata.OfType<HttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            if (anonymous is not null && methods.Any(method => anonymous.Contains($"{method} {route}")))
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
                return;
            }
            var scope = methods.Count > 0 && methods.All(IsRead)
                ? reads
                : writesUnder?.Where(w => route.StartsWith(w.Key, StringComparison.Ordinal)).OrderByDescending(w => w.Key.Length).Select(w => w.Value).FirstOrDefault()
                    ?? writes;
            endpoint.Metadata.Add(ScopeRequirement.PolicyFor(scope));
        });
        return builder;
    }

    private static bool IsRead(string method) => method is "GET" or "HEAD";
}
