using System.Globalization;
using System.Text.Encodings.Web;
using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Access.Features.Credentials;

/// <summary>
/// The one authentication scheme of every surface (REST, <c>/ws</c>, <c>/git</c>): a token in the
/// <c>Authorization</c> header or the board's cookie. Without one the answer is 401 with a challenge git
/// understands on <c>/git</c> (Basic, so it asks its credential helper) and a Bearer challenge elsewhere.
/// </summary>
internal sealed class AccessAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggers,
    UrlEncoder encoder,
    Callers callers,
    AuthFailureLimiter limiter) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggers, encoder)
{
    public const string SchemeName = "LazyAF";

    private const string RetryAfterItem = "lazyaf:retry-after";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedCredential.From(Request) is not { } presented)
            return AuthenticateResult.NoResult();
        var address = Context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (limiter.RetryAfter(address) is { } wait)
            return TooMany(wait);

        if (presented.Token is not { } token || await callers.FindAsync(token, Context.RequestAborted) is not { } caller)
        {
            Logger.LogWarning("Refused a credential from {Address} for {Method} {Path}", address, Request.Method, Request.Path.Value);
            return limiter.RecordFailure(address) is { } blocked
                ? TooMany(blocked)
                : AuthenticateResult.Fail("The token is unknown, expired or revoked.");
        }
        if (caller.Step is { } step && !Request.Path.StartsWithSegments($"/git/{step.RepoId}.git", StringComparison.Ordinal))
            return AuthenticateResult.Fail("A step token reaches only the git server of its own repo.");
        return AuthenticateResult.Success(new AuthenticationTicket(caller.ToPrincipal(SchemeName, presented.ViaCookie), SchemeName));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        if (Context.Items[RetryAfterItem] is TimeSpan wait)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            await TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed authentications",
                detail: $"This address sent too many bad credentials; try again in {seconds} s.", type: Problems.TypeUri("too-many-failures")).ExecuteAsync(Context);
            return;
        }
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.Headers.WWWAuthenticate = Request.Path.StartsWithSegments("/git", StringComparison.Ordinal)
            ? "Basic realm=\"LazyAF\", charset=\"UTF-8\""
            : "Bearer realm=\"LazyAF\"";
        await TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Authentication required",
            detail: failure ?? "Send a LazyAF token as 'Authorization: Bearer TOKEN' (or as the password of Basic authentication). "
                + "The owner's token is the file owner.token in the host's data directory; the board logs in with the link the host prints at start.",
            type: Problems.TypeUri("unauthenticated")).ExecuteAsync(Context);
    }

    private AuthenticateResult TooMany(TimeSpan wait)
    {
        Context.Items[RetryAfterItem] = wait;
        return AuthenticateResult.Fail("Too many failed authentications.");
    }
}
