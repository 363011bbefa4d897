using System.Net;

namespace LazyAf.Host;

/// <summary>
/// Until LazyAF has authentication, its API and git server must not be reachable from other
/// machines: any non-loopback address is refused at start-up.
/// </summary>
internal static class LoopbackGuard
{
    /// <summary>The one-line reason to refuse, or null when every address is loopback.</summary>
    public static string? Refusal(IConfiguration configuration)
    {
        var addresses = (configuration[WebHostDefaults.ServerUrlsKey] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""))
            .Where(url => url.Length > 0);

        var exposed = addresses.FirstOrDefault(url => !IsLoopback(url));
        return exposed is null
            ? null
            : $"lazyaf: refusing to listen on {exposed}: LazyAF has no authentication yet, so it only binds loopback addresses (use http://127.0.0.1:PORT).";
    }

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            return false;
        if (uri.IsLoopback)
            return true;
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
