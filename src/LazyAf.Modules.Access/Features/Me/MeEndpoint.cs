using LazyAf.Modules.Access.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Access.Features.Me;

/// <summary><c>GET /api/me</c>: whom the request's credential speaks for and what it may do (any credential).</summary>
internal static class MeEndpoint
{
    public sealed record MeResponse(string User, string Kind, IReadOnlyList<string> Scopes);

    public static void MapMe(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/me", (HttpContext http) => TypedResults.Ok(new MeResponse(
                http.User.Identity!.Name!,
                http.User.FindFirst(AccessClaims.Kind)!.Value,
                [.. http.User.FindAll(AccessClaims.Scope).Select(c => c.Value)])))
            .WithName("GetMe")
            .WithSummary("The user and scopes of the calling credential");
}
