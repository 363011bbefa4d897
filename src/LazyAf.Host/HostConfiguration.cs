using LazyAf.Kernel;
using Microsoft.Extensions.Configuration.Memory;

namespace LazyAf.Host;

/// <summary>
/// Configuration order, weakest first: appsettings.json, ASPNETCORE_* and LAZYAF_* environment
/// variables, then the command line (<c>--urls</c>, <c>--data-dir</c>).
/// </summary>
internal static class HostConfiguration
{
    private const string DefaultUrls = "http://127.0.0.1:8080";

    public static void AddLazyAfConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        var fromEnvironment = new Dictionary<string, string?>();
        if (Environment.GetEnvironmentVariable("LAZYAF_URLS") is { Length: > 0 } urls)
            fromEnvironment[WebHostDefaults.ServerUrlsKey] = urls;
        if (Environment.GetEnvironmentVariable("LAZYAF_DATA_DIR") is { Length: > 0 } dataDir)
            fromEnvironment[LazyAfOptions.DataDirKey] = dataDir;

        builder.Configuration.AddInMemoryCollection(fromEnvironment);
        // Added again so the command line still wins over the environment.
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>
        {
            ["--data-dir"] = LazyAfOptions.DataDirKey,
        });

        // The weakest source of all, so any configured address (or a test host's) wins over it.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource
        {
            InitialData = [new(WebHostDefaults.ServerUrlsKey, DefaultUrls)],
        });
    }
}
