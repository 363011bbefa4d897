using System.Net.Http.Headers;
using LazyAf.Kernel.Settings;
using LazyAf.Mcp;
using LazyAf.Mcp.Api;
using LazyAf.Modules.Access.Contracts;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using ModelContextProtocol.AspNetCore;

namespace LazyAf.Host;

/// <summary>
/// LazyAF's MCP tools over Streamable HTTP at <c>/mcp</c>. Stateless: every POST stands alone, so nothing of a caller
/// outlives its request. A tool calls this host's own API on loopback with the caller's <c>Authorization</c> header,
/// so it may do exactly what that token may and answers what the API answers (as <c>lazyaf mcp</c> does over stdio);
/// <c>/mcp</c> itself needs a token with <c>read</c>, and a page of another origin may not post to it.
/// </summary>
internal static class McpEndpoint
{
    public const string Path = "/mcp";

    public static void AddMcpEndpoint(this WebApplicationBuilder builder)
    {
        builder.Services.AddSettings<McpSettings>(McpSettings.Section);
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<LoopbackApi>();
        builder.Services.AddTransient<IApiTarget, CallerOnLoopback>();
        builder.Services.AddLazyAfMcp().WithHttpTransport(options => options.SessionMode = HttpServerSessionMode.Stateless);
    }

    /// <summary>
    /// Maps <c>/mcp</c> (stateless: POST only) in front of the SDK's endpoint, which is made on the first request: the
    /// SDK's <c>MapMcp</c> builds every tool with its JSON schema by reflection (~6 MiB of idle RSS and ~360 methods
    /// compiled, bench/RESULTS.md), work no start needs. A broken tool then fails that first request rather than the start; the MCP
    /// tests call every tool.
    /// </summary>
    public static void MapMcpEndpoint(this WebApplication app)
    {
        var sdkEndpoint = new Lazy<RequestDelegate>(() => SdkPostEndpoint(app), LazyThreadSafetyMode.ExecutionAndPublication);
        // A group, as the SDK maps it (the route is "/mcp/", matching /mcp and /mcp/). Not an API operation: MCP's
        // JSON-RPC has a document of its own (tools/list), not OpenAPI.
        var mcp = app.MapGroup(Path);
        mcp.MapPost("", context => sdkEndpoint.Value(context));
        mcp.RequireScope(Scopes.Read).DeclareAccessProblems().ExcludeFromDescription();
    }

    /// <summary>The request delegate of the SDK's POST endpoint, mapped on a route builder of its own.</summary>
    private static RequestDelegate SdkPostEndpoint(WebApplication app)
    {
        var endpoints = new DeferredEndpoints(app);
        endpoints.MapMcp(Path);
        var posts = endpoints.DataSources.SelectMany(source => source.Endpoints)
            .Where(endpoint => endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true)
            .ToList();
        return posts is [{ RequestDelegate: { } post }]
            ? post
            : throw new InvalidOperationException($"The MCP SDK mapped {posts.Count} POST endpoints at {Path}; expected one.");
    }

    private sealed class DeferredEndpoints(WebApplication app) : IEndpointRouteBuilder
    {
        public IServiceProvider ServiceProvider => app.Services;

        public ICollection<EndpointDataSource> DataSources { get; } = [];

        public IApplicationBuilder CreateApplicationBuilder() => ((IApplicationBuilder)app).New();
    }

    /// <summary>
    /// This host's own API on loopback: its first plain-HTTP address (the main one; the runner endpoint speaks only
    /// HTTP/2), a wildcard or <c>localhost</c> host read as 127.0.0.1. Found once the server listens.
    /// </summary>
    private sealed class LoopbackApi(IServer server)
    {
        private Uri? _server;

        public Uri Server => _server ??= Find();

        private Uri Find()
        {
            var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [];
            var chosen = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("The host listens on no address yet.");
            var uri = new Uri(chosen.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
            return uri.Host is "0.0.0.0" or "[::]" or "localhost" ? new UriBuilder(uri) { Host = "127.0.0.1" }.Uri : uri;
        }
    }

    /// <summary>The API on loopback, called with the credential of the MCP request at hand.</summary>
    private sealed class CallerOnLoopback(IHttpContextAccessor http, LoopbackApi loopback) : IApiTarget
    {
        public Uri Server => loopback.Server;

        public AuthenticationHeaderValue? Credential =>
            AuthenticationHeaderValue.TryParse(http.HttpContext?.Request.Headers.Authorization.ToString(), out var credential) ? credential : null;
    }
}
