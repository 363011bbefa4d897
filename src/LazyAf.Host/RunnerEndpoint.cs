namespace LazyAf.Host;

/// <summary>
/// Where remote runners connect (<c>Runners:Url</c>, e.g. <c>http://127.0.0.1:8081</c>; off when unset). The runner
/// protocol is gRPC, so HTTP/2; without TLS there is no ALPN to choose the protocol, and Kestrel then speaks HTTP/2
/// only on an endpoint that speaks nothing else (h2c with prior knowledge). Browsers and git need HTTP/1.1 on the
/// main address, so runners get an endpoint of their own. Kestrel binds either its configured endpoints or
/// <c>urls</c>, never both, so once there is a runner endpoint the <c>urls</c> become configured endpoints too
/// (<c>Http0</c>, <c>Http1</c>, …, bound first, so the first address is still the main one).
/// </summary>
internal static class RunnerEndpoint
{
    public const string UrlKey = "Runners:Url";

    public static void AddRunnerEndpoint(this WebApplicationBuilder builder) =>
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            if (context.Configuration[UrlKey] is not { Length: > 0 } runnerUrl)
                return;
            var kestrelSection = context.Configuration.GetSection("Kestrel");
            var endpoints = new Dictionary<string, string?>
            {
                ["Endpoints:Runners:Url"] = runnerUrl,
                ["Endpoints:Runners:Protocols"] = "Http2",
            };
            // Endpoints the owner configured already replace the urls; otherwise the urls become endpoints.
            if (!kestrelSection.GetSection("Endpoints").GetChildren().Any())
            {
                var urls = (context.Configuration[WebHostDefaults.ServerUrlsKey] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                for (var i = 0; i < urls.Length; i++)
                    endpoints[$"Endpoints:Http{i}:Url"] = urls[i];
            }
            kestrel.Configure(new ConfigurationBuilder().AddConfiguration(kestrelSection).AddInMemoryCollection(endpoints).Build(), reloadOnChange: false);
        });
}
