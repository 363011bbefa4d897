using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Access.Contracts;

/// <summary>
/// The problems Access answers before a handler runs, declared on the endpoints that can get them so their OpenAPI
/// operations list them: 421 for a request that names another host (every endpoint), and on each that needs a credential
/// 401 without a valid one, 403 without the scope (or from a foreign page's origin), 429 for an address that failed to
/// authenticate too often.
/// </summary>
public static class AccessProblems
{
    /// <summary>Declares Access's problems on every endpoint mapped on <paramref name="builder"/>.</summary>
    public static TBuilder DeclareAccessProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        // Finally: the scopes and AllowAnonymous of the module groups are attached by then.
        builder.Finally(endpoint =>
        {
            endpoint.DeclareProblem(StatusCodes.Status421MisdirectedRequest);
            if (endpoint.Metadata.OfType<IAllowAnonymous>().Any())
                return;
            endpoint.DeclareProblem(StatusCodes.Status401Unauthorized);
            endpoint.DeclareProblem(StatusCodes.Status403Forbidden);
            endpoint.DeclareProblem(StatusCodes.Status429TooManyRequests);
        });
        return builder;
    }
}
