using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Testing;

/// <summary>
/// The real LazyAF host on a loopback port (Kestrel, so real clients such as git can connect),
/// with its own data directory. Restarting keeps the data directory, as a real restart would.
/// </summary>
public sealed class LazyAfHost : IAsyncDisposable
{
    private readonly Action<IServiceCollection>? _configureServices;
    private readonly IReadOnlyDictionary<string, string>? _settings;
    private readonly TempDir? _ownedDataDir;
    private readonly DeclaredStatuses _statuses = new();
    private WebApplicationFactory<Program> _factory;

    private LazyAfHost(string dataDir, TempDir? ownedDataDir, Action<IServiceCollection>? configureServices, IReadOnlyDictionary<string, string>? settings)
    {
        DataDir = dataDir;
        _ownedDataDir = ownedDataDir;
        _configureServices = configureServices;
        _settings = settings;
        _factory = Start();
        Client = CreateClient();
    }

    /// <summary>JSON as the API speaks it: snake_case.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public string DataDir { get; }

    /// <summary>e.g. <c>http://127.0.0.1:41234</c>, no trailing slash.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>A client with the owner's token, as the CLI on this machine would have.</summary>
    public HttpClient Client { get; private set; }

    /// <summary>The owner's token, which the host made in its data directory at its first start.</summary>
    public string OwnerToken => OwnerCredentials.TokenOf(DataDir) ?? throw new InvalidOperationException($"{DataDir} has no owner token.");

    public IServiceProvider Services => _factory.Services;

    /// <summary>
    /// Starts a host; with <paramref name="dataDir"/> null it gets a fresh one deleted on dispose.
    /// <paramref name="settings"/> are configuration keys (e.g. <c>Execution:MaxLogBytes</c>).
    /// </summary>
    public static LazyAfHost Start(string? dataDir = null, Action<IServiceCollection>? configureServices = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var owned = dataDir is null ? new TempDir("lazyaf-data") : null;
        return new LazyAfHost(dataDir ?? owned!.Path, owned, configureServices, settings);
    }

    public string GitUrl(string repoId) => $"{BaseUrl}/git/{repoId}.git";

    /// <summary>A client of this host sending <paramref name="token"/> (none when null), e.g. to see what a stranger or a narrow token gets.</summary>
    public HttpClient CreateClient(string? token) => new(new TokenHandler(() => token)) { BaseAddress = new Uri(BaseUrl) };

    /// <summary>Stops the host and starts it again on the same data directory (a new port).</summary>
    public async Task RestartAsync()
    {
        TestGit.Forget(BaseUrl);
        Client.Dispose();
        await _factory.DisposeAsync();
        _factory = Start();
        Client = CreateClient();
    }

    /// <summary>Creates a repo through the API and returns its id.</summary>
    public async Task<string> CreateRepoAsync(string name, string defaultBranch = "main")
    {
        using var response = await Client.PostAsJsonAsync("/api/repos", new { name, default_branch = defaultBranch });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("id").GetString()!;
    }

    /// <summary>Stops the host; fails when an endpoint answered a status its OpenAPI operation does not declare.</summary>
    public async ValueTask DisposeAsync()
    {
        TestGit.Forget(BaseUrl);
        Client.Dispose();
        await _factory.DisposeAsync();
        _ownedDataDir?.Dispose();
        if (_statuses.Undeclared is { Count: > 0 } undeclared)
            throw new InvalidOperationException("Endpoints answered statuses their OpenAPI operations do not declare:\n" + string.Join('\n', undeclared));
    }

    private WebApplicationFactory<Program> Start()
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("DataDir", DataDir);
            // A free loopback port per host, so parallel test hosts never collide.
            builder.UseSetting(WebHostDefaults.ServerUrlsKey, "http://127.0.0.1:0");
            builder.UseSetting("Serilog:MinimumLevel:Default", "Warning");
            foreach (var (key, value) in _settings ?? new Dictionary<string, string>())
                builder.UseSetting(key, value);
            builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(_statuses));
            if (_configureServices is not null)
                builder.ConfigureServices(_configureServices);
        });
        factory.UseKestrel();
        factory.StartServer();
        var addresses = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().TrimEnd('/').Replace("localhost", "127.0.0.1", StringComparison.Ordinal);
        var dataDir = DataDir;
        TestGit.Authorize(BaseUrl, () => OwnerCredentials.TokenOf(dataDir));
        return factory;
    }

    private HttpClient CreateClient() => CreateClient(OwnerToken);
}
