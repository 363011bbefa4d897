using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Data;
using LazyAf.Modules.Access.Domain;
using LazyAf.Modules.Access.Features.Credentials;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Access.Features.Login;

/// <summary>
/// The board's login: <c>GET /login?code=…</c> turns a one-time code into a session cookie and goes to <c>/</c>;
/// <c>POST /logout</c> ends the session; <c>POST /api/login-codes</c> (admin) makes a new link.
/// </summary>
internal static class LoginEndpoints
{
    public sealed record LoginLinkResponse(string Url, DateTimeOffset ExpiresAt);

    public static void MapLogin(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/login", LoginAsync)
            .Produces(StatusCodes.Status302Found)
            .AllowAnonymous()
            .WithName("Login")
            .WithSummary("Open a board session with a one-time login code: sets the session cookie and redirects to /");
        endpoints.MapPost("/logout", LogoutAsync)
            .WithName("Logout")
            .WithSummary("End the board session of this cookie");
        endpoints.MapPost("/api/login-codes", CreateCode)
            .RequireScope(Scopes.Admin)
            .WithName("CreateLoginCode")
            .WithSummary("A new one-time login link for the board, for the calling user with the caller's scopes");
    }

    private static async Task<Results<RedirectHttpResult, BadRequestProblem>> LoginAsync(
        string? code, HttpContext http, LoginCodes codes, TokenStore tokens, TimeProvider clock, IOptions<AccessOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(code) || codes.Redeem(code) is not { } grant)
            return Problems.BadRequest("Login link not valid",
                "This login link is unknown, used or expired. Run 'lazyaf login' for a new one, or restart the host to print one.", "login-code");
        var session = TokenSecret.New();
        var now = clock.GetUtcNow();
        var lifetime = options.Value.SessionLifetime;
        await tokens.InsertAsync(Ids.New(), grant.UserId, TokenKinds.Session, "board session", TokenSecret.Hash(session), grant.Scopes, now, now + lifetime, ct);
        SessionCookie.Write(http.Response, session, lifetime);
        return TypedResults.Redirect("/");
    }

    private static async Task<NoContent> LogoutAsync(HttpContext http, TokenStore tokens, TimeProvider clock, CancellationToken ct)
    {
        if (http.User.HasClaim(AccessClaims.ViaCookie, "true") && http.User.FindFirst(AccessClaims.TokenId)?.Value is { } id)
            await tokens.RevokeAsync(id, clock.GetUtcNow(), ct);
        SessionCookie.Delete(http.Response);
        return TypedResults.NoContent();
    }

    private static Ok<LoginLinkResponse> CreateCode(HttpContext http, LoginCodes codes)
    {
        var scopes = http.User.FindAll(AccessClaims.Scope).Select(c => c.Value).ToList();
        var (code, expiresAt) = codes.Issue(http.User.FindFirst(AccessClaims.UserId)!.Value, scopes);
        return TypedResults.Ok(new LoginLinkResponse($"{http.Request.Scheme}://{http.Request.Host}/login?code={code}", expiresAt));
    }
}
