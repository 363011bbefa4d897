using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Modules.Workspaces.Domain;
using LazyAf.Modules.Workspaces.Handlers;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LazyAf.Modules.Workspaces.Tests;

/// <summary>The real host with a fake clock, a cleaner that only runs when a test sweeps, and the given budget and warm count.</summary>
internal sealed class WorkspaceHost : IAsyncDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromHours(1);

    private WorkspaceHost(LazyAfHost host, FakeTimeProvider clock)
    {
        Host = host;
        Clock = clock;
    }

    public LazyAfHost Host { get; }

    public FakeTimeProvider Clock { get; }

    public IWorkspaces Workspaces => Host.Services.GetRequiredService<IWorkspaces>();

    public string Root => Path.Combine(Host.DataDir, "workspaces");

    public static WorkspaceHost Start(string? dataDir = null, long diskBudgetBytes = long.MaxValue, int warmPerRepo = 1)
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var host = LazyAfHost.Start(dataDir, services =>
        {
            services.AddSingleton<TimeProvider>(clock);
            services.AddSingleton(sp => WorkspaceSettings.From(sp.GetRequiredService<IOptions<WorkspacesOptions>>().Value, sp.GetRequiredService<LazyAfOptions>()) with
            {
                // Only the test's sweeps run: the background pass would wake whenever the fake clock jumps.
                CleanupInterval = TimeSpan.FromDays(3650),
                OrphanGrace = Grace,
                DiskBudgetBytes = diskBudgetBytes,
                WarmPerRepo = warmPerRepo,
            });
        });
        return new WorkspaceHost(host, clock);
    }

    public Task<int> SweepAsync() => Host.Services.GetRequiredService<WorkspaceCleaner>().SweepAsync(CancellationToken.None);

    /// <summary>The workspace as <c>GET /api/workspaces/{id}</c> shows it.</summary>
    public async Task<(string State, int UseCount)> StateOfAsync(string id)
    {
        var body = await Host.Client.GetFromJsonAsync<JsonElement>($"/api/workspaces/{id}");
        return (body.GetProperty("state").GetString()!, body.GetProperty("use_count").GetInt32());
    }

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
