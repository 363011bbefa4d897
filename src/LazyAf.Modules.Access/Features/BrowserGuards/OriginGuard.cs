using LazyAf.Kernel.Http;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Access.Features.BrowserGuards;

/// <summary>
/// A page from another origin may not write or open a WebSocket: a write or <c>/ws</c> upgrade whose <c>Origin</c>
/// is neither this host's own nor in <c>Security:AllowedOrigins</c> gets 403. Browsers send the board's cookie
/// with requests from any port of the same host name (SameSite ignores ports), so a write that authenticated
/// with the cookie must also carry a matching <c>Origin</c>. Clients that are not browsers send no <c>Origin</c>.
/// </summary>
internal sealed class OriginGuard(RequestDelegate next, IOptions<AccessOptions> options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var origin = request.Headers.Origin.ToString();
        var upgrade = request.Headers.Upgrade.ToString().Equals("websocket", StringComparison.OrdinalIgnoreCase);
        var write = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));

        if ((upgrade || write) && origin.Length > 0 && !IsAllowed(origin, request))
        {
            await RefuseAsync(http, $"Requests from pages of {origin} may not change anything here or read live events.");
            return;
        }
        if ((upgrade || write) && origin.Length == 0 && http.User.HasClaim(AccessClaims.ViaCookie, "true"))
        {
            await RefuseAsync(http, "A request made with the board's session cookie must carry the page's Origin header.");
            return;
        }
        await next(http);
    }

    private bool IsAllowed(string origin, HttpRequest request) =>
        origin.Equals($"{request.Scheme}://{request.Host.Value}", StringComparison.OrdinalIgnoreCase)
        || options.Value.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase);

    private static Task RefuseAsync(HttpContext http, string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Cross-origin request refused", detail: detail,
            type: Problems.TypeUri("cross-origin")).ExecuteAsync(http);
}
