using System.Net;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Access.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Access.Features.BrowserGuards;

/// <summary>
/// Answers only requests addressed to a loopback name (<c>localhost</c>, <c>*.localhost</c>, a loopback IP) or to a
/// name in <c>Security:AllowedHosts</c>. A page that re-points its own domain at 127.0.0.1 (DNS rebinding) sends
/// its own name in <c>Host</c> and gets 421.
/// </summary>
internal sealed class HostAllowlist(RequestDelegate next, IOptions<AccessOptions> options)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var host = http.Request.Host.Host;
        if (IsLoopbackName(host) || options.Value.AllowedHosts.Contains(host, StringComparer.OrdinalIgnoreCase))
        {
            await next(http);
            return;
        }
        await TypedResults.Problem(
            statusCode: StatusCodes.Status421MisdirectedRequest,
            title: "Unknown host name",
            detail: $"LazyAF does not answer to the host name '{host}'. If it is this host's own name, add it to Security:AllowedHosts.",
            type: Problems.TypeUri("unknown-host")).ExecuteAsync(http);
    }

    private static bool IsLoopbackName(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
