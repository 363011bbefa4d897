using LazyAf.Kernel.Http;
using LazyAf.Modules.Access.Contracts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Access.Features.Credentials;

/// <summary>A credential without the scope an endpoint needs gets 403 problem details naming that scope.</summary>
internal sealed class ScopeRefusals : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            var held = context.User.FindAll(AccessClaims.Scope).Select(c => c.Value).ToList();
            await TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Missing scope",
                detail: $"This request needs a token with the '{missing.Scope}' scope; this one has {(held.Count == 0 ? "none" : string.Join(", ", held))}.",
                type: Problems.TypeUri("missing-scope"),
                extensions: new Dictionary<string, object?> { ["required_scope"] = missing.Scope }).ExecuteAsync(context);
            return;
        }
        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
