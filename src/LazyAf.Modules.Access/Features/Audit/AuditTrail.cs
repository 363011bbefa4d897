using LazyAf.Modules.Access.Data;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Access.Features.Audit;

/// <summary>
/// Records every write an authenticated caller makes (start, approve, reject, a pushed branch, a secret, a token,
/// a user, …) and every board login, with who, what, the answer's status and the client's address.
/// </summary>
internal sealed class AuditTrail(RequestDelegate next, AuditStore audit, TimeProvider clock)
{
    private const string LoginPath = "/login";

    public async Task InvokeAsync(HttpContext http)
    {
        var request = http.Request;
        var login = request.Path.Equals(LoginPath, StringComparison.Ordinal);
        var write = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        if (!login && !write)
        {
            await next(http);
            return;
        }
        var status = StatusCodes.Status500InternalServerError;
        try
        {
            await next(http);
            status = http.Response.StatusCode;
        }
        finally
        {
            if (login || http.User.Identity?.IsAuthenticated == true)
                await audit.AppendAsync(Entry(http, status), CancellationToken.None);
        }
    }

    private AuditStore.Entry Entry(HttpContext http, int status)
    {
        var endpoint = http.GetEndpoint();
        var action = endpoint?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
            ?? (http.Request.Path.Value?.EndsWith("/git-receive-pack", StringComparison.Ordinal) == true ? "GitPush" : (endpoint as RouteEndpoint)?.RoutePattern.RawText ?? "unmatched");
        var actor = http.User.Identity?.IsAuthenticated == true ? http.User.Identity.Name! : "anonymous";
        return new AuditStore.Entry(0, clock.GetUtcNow(), actor, action, http.Request.Method, http.Request.Path.Value ?? "", status,
            http.Connection.RemoteIpAddress?.ToString());
    }
}
