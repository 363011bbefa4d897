using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LazyAf.Kernel.Tests;

public sealed class OutboxTests : IDisposable
{
    private readonly Testing.TempDir _dir = TestDirs.New();
    private readonly Deliveries _deliveries = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-24T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_committed_event_reaches_every_handler_once()
    {
        await using var host = await StartAsync();
        await PublishAsync(host, "a", commit: true);

        await _deliveries.WaitForAsync(seen => seen.Count == 2);
        await Task.Delay(600);
        Assert.Equal([("FirstHandler", "a", 1), ("FlakyHandler", "a", 1)], _deliveries.Seen.Order().ToArray());
        Assert.Equal(0, await PendingAsync(host));
    }

    [Fact]
    public async Task An_event_of_a_rolled_back_transaction_is_never_dispatched()
    {
        await using var host = await StartAsync();
        await PublishAsync(host, "rolled-back", commit: false);
        await PublishAsync(host, "kept", commit: true);

        await _deliveries.WaitForAsync(seen => seen.Count == 2);
        Assert.DoesNotContain(_deliveries.Seen, d => d.Name == "rolled-back");
    }

    [Fact]
    public async Task A_failing_handler_is_retried_after_backoff_without_rerunning_handlers_that_succeeded()
    {
        _deliveries.FailWhen = name => name == "b";
        await using var host = await StartAsync();
        await PublishAsync(host, "b", commit: true);
        await PublishAsync(host, "c", commit: true);

        // The failure does not hold up the next event.
        await _deliveries.WaitForAsync(seen => seen.Any(d => d.Name == "c" && d.Handler == "FlakyHandler"));
        // c is marked done once all its handlers have run, just after the last delivery; b stays pending.
        await Eventually.HoldsAsync(async () => await PendingAsync(host) == 1, async () => $"{await PendingAsync(host)} pending");

        _deliveries.FailWhen = _ => false;
        _clock.Advance(OutboxDispatcher.Backoff(1) + TimeSpan.FromSeconds(1));
        await _deliveries.WaitForAsync(seen => seen.Contains(("FlakyHandler", "b", 2)));

        Assert.Single(_deliveries.Seen, d => d is { Handler: "FirstHandler", Name: "b" });
        Assert.Equal(0, await PendingAsync(host));
    }

    [Fact]
    public async Task Events_committed_before_a_crash_are_delivered_after_restart()
    {
        // A host that commits events but dies before its dispatcher runs: only the database is left.
        await using (var db = await StartWithoutDispatcherAsync())
            await PublishAsync(db, "survivor", commit: true);

        await using var restarted = await StartAsync();
        await _deliveries.WaitForAsync(seen => seen.Count(d => d.Name == "survivor") == 2);
    }

    [Fact]
    public async Task The_replay_window_keeps_the_newest_events_and_every_undelivered_one()
    {
        _deliveries.FailWhen = name => name == "stuck";
        await using var host = await StartAsync();
        await PublishAsync(host, "stuck", commit: true);
        for (var i = 0; i < 30; i++)
            await PublishAsync(host, $"e{i}", commit: true);
        await _deliveries.WaitForAsync(seen => seen.Count(d => d.Handler == "FlakyHandler" && d.Name != "stuck") == 30);
        await Task.Delay(600);

        await host.Get<LiveEvents.LiveEventLog>().TrimAsync(10, default);

        await using var connection = await host.Get<IDatabase>().OpenAsync(default);
        var kept = (await connection.QueryAsync<string>("SELECT payload FROM kernel_outbox ORDER BY id")).ToList();
        Assert.Equal(11, kept.Count);
        Assert.Contains("stuck", kept[0], StringComparison.Ordinal);
        Assert.Contains("e29", kept[^1], StringComparison.Ordinal);
        Assert.Contains("e20", kept[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_commit_actions_run_once_the_change_is_visible_and_never_after_a_rollback()
    {
        await using var host = await StartWithoutDispatcherAsync();
        var ran = new List<(string Name, long Visible)>();
        foreach (var (name, commit) in new[] { ("rolled-back", false), ("kept", true) })
        {
            await using var tx = await host.Get<IDatabase>().BeginWriteAsync(default);
            await tx.Connection.ExecuteAsync("INSERT INTO good_widgets (name) VALUES (@name)", new { name }, tx.Transaction);
            // Read on another connection: the action sees what the commit made visible to everyone.
            tx.AfterCommit(async () => ran.Add((name, await WidgetsNamedAsync(host, name))));
            if (commit)
                await tx.CommitAsync(default);
        }

        Assert.Equal([("kept", 1L)], ran);
    }

    [Fact]
    public async Task A_payload_stored_in_an_older_shape_is_delivered_through_the_events_upgrade()
    {
        await using (var db = await StartWithoutDispatcherAsync())
        {
            await using var tx = await db.Get<IDatabase>().BeginWriteAsync(default);
            await tx.Connection.ExecuteAsync(
                "INSERT INTO kernel_outbox (event_type, payload, topics, occurred_at, next_attempt_at) VALUES ('test.widget-made', '{\"title\":\"old-shape\"}', '', @Now, @Now)",
                new { Now = _clock.GetUtcNow() }, tx.Transaction);
            await tx.CommitAsync(default);
        }

        await using var host = await KernelHost.StartAsync(_dir.Path, services =>
        {
            services.AddSingleton<TimeProvider>(_clock);
            services.AddSingleton(_deliveries);
            services.AddEventHandler<WidgetMade, FirstHandler>();
            services.AddEventUpgrade<WidgetMade>(stored => stored["name"] is null ? new System.Text.Json.Nodes.JsonObject { ["name"] = stored["title"]!.GetValue<string>() } : stored);
        });

        await _deliveries.WaitForAsync(seen => seen.Contains(("FirstHandler", "old-shape", 1)));
    }

    private Task<KernelHost> StartAsync() => KernelHost.StartAsync(_dir.Path, services =>
    {
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(_deliveries);
        services.AddEventHandler<WidgetMade, FirstHandler>();
        services.AddEventHandler<WidgetMade, FlakyHandler>();
    });

    private Task<KernelHost> StartWithoutDispatcherAsync() => KernelHost.StartAsync(_dir.Path, services =>
    {
        services.AddSingleton<TimeProvider>(_clock);
        services.RemoveAll<Microsoft.Extensions.Hosting.IHostedService>(typeof(OutboxDispatcher));
    });

    private static async Task PublishAsync(KernelHost host, string name, bool commit)
    {
        await using var tx = await host.Get<IDatabase>().BeginWriteAsync(default);
        await tx.Connection.ExecuteAsync("INSERT INTO good_widgets (name) VALUES (@name)", new { name }, tx.Transaction);
        await host.Get<IEventOutbox>().EnqueueAsync(tx, new WidgetMade(name), default);
        if (commit)
            await tx.CommitAsync(default);
    }

    private static async Task<long> WidgetsNamedAsync(KernelHost host, string name)
    {
        await using var connection = await host.Get<IDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM good_widgets WHERE name = @name", new { name });
    }

    private static async Task<long> PendingAsync(KernelHost host)
    {
        await using var connection = await host.Get<IDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM kernel_outbox WHERE dispatched_at IS NULL");
    }
}

internal static class ServiceCollectionTestExtensions
{
    public static void RemoveAll<TService>(this IServiceCollection services, Type implementation) where TService : class
    {
        foreach (var descriptor in services.Where(d => d.ServiceType == typeof(TService) && d.ImplementationType == implementation).ToList())
            services.Remove(descriptor);
    }
}
