using System.Net;

namespace LazyAf.Host;

/// <summary>
/// Where the host may listen. Loopback addresses always; another address only once the owner asks for it
/// (<c>--expose</c> or <c>Security:Expose</c>), and then only over TLS unless <c>Security:AllowPlainHttp</c> says the
/// network is trusted. Every surface needs a token either way; exposing only lets other machines ask.
/// </summary>
internal static class ExposureGuard
{
    public const string ExposeKey = "Security:Expose";
    public const string AllowPlainHttpKey = "Security:AllowPlainHttp";

    /// <summary>The command line with the <c>--expose</c> switch written as the setting it stands for.</summary>
    public static string[] ExpandSwitches(string[] args) =>
        [.. args.Select(arg => arg == "--expose" ? $"--{ExposeKey}=true" : arg)];

    /// <summary>The one-line reason to refuse to start, or null.</summary>
    public static string? Refusal(IConfiguration configuration)
    {
        var exposed = Addresses(configuration).Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count == 0)
            return null;
        if (!configuration.GetValue<bool>(ExposeKey))
            return $"lazyaf: refusing to listen on {exposed[0]}: it is not a loopback address; start with --expose (or {ExposeKey}=true) to serve other machines.";
        var plain = exposed.FirstOrDefault(url => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        if (plain is not null && !configuration.GetValue<bool>(AllowPlainHttpKey))
            return $"lazyaf: refusing to serve {plain} to other machines without TLS: listen on https:// with a certificate (Kestrel:Certificates:Default), or set {AllowPlainHttpKey}=true for a trusted network.";
        return null;
    }

    /// <summary>The line the host prints at start when it serves other machines, or null when it listens on loopback only.</summary>
    public static string? Announcement(IConfiguration configuration)
    {
        var exposed = Addresses(configuration).Where(url => !IsLoopback(url)).ToList();
        if (exposed.Count == 0)
            return null;
        var names = configuration.GetSection("Security:AllowedHosts").Get<string[]>() ?? [];
        var plain = exposed.Any(url => url.StartsWith("http://", StringComparison.OrdinalIgnoreCase));
        return $"lazyaf: exposed on {string.Join(", ", exposed)}{(plain ? " over plain HTTP (Security:AllowPlainHttp)" : "")}; every request needs a token; "
            + $"host names answered: loopback{string.Concat(names.Select(n => ", " + n))}.";
    }

    private static IEnumerable<string> Addresses(IConfiguration configuration) =>
        (configuration[WebHostDefaults.ServerUrlsKey] ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Concat(configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(e => e["Url"] ?? ""))
            .Append(configuration[RunnerEndpoint.UrlKey] ?? "")
            .Where(url => url.Length > 0);

    private static bool IsLoopback(string url)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://wildcard", StringComparison.Ordinal).Replace("://+", "://wildcard", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            return false;
        if (uri.IsLoopback)
            return true;
        return IPAddress.TryParse(uri.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}
