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
        // Once the event is marked done nothing delivers it again.
        await Eventually.HoldsAsync(async () => await PendingAsync(host) == 0, async () => $"{await PendingAsync(host)} pending");
        Assert.Equal([("FirstHandler", "a", 1), ("FlakyHandler", "a", 1)], _deliveries.Seen.Order().ToArray());
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
        _clock.Advance(new OutboxOptions().Backoff(1) + TimeSpan.FromSeconds(1));
        await _deliveries.WaitForAsync(seen => seen.Contains(("FlakyHandler", "b", 2)));

        // As with c above, b is marked done just after its last delivery.
        await Eventually.HoldsAsync(async () => await PendingAsync(host) == 0, async () => $"{await PendingAsync(host)} pending");
        Assert.Single(_deliveries.Seen, d => d is { Handler: "FirstHandler", Name: "b" });
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
        await Eventually.HoldsAsync(async () => await PendingAsync(host) == 1, async () => $"{await PendingAsync(host)} pending");

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


    [Fact]
    public async Task A_payload_that_cannot_be_read_is_a_dead_letter_and_the_events_after_it_are_delivered()
    {
        await using var host = await StartAsync();
        await InsertRawAsync(host, "test.widget-made", "{not json");
        await InsertRawAsync(host, "test.widget-made", "null");
        await PublishAsync(host, "after-the-poison", commit: true);

        await _deliveries.WaitForAsync(seen => seen.Count(d => d.Name == "after-the-poison") == 2);
        var dead = await Eventually.ValueAsync(async () => await host.Get<DeadLetters>().ListAsync(null, 10, default), letters => letters.Count == 2);
        Assert.All(dead, d => Assert.StartsWith("the payload cannot be read as test.widget-made", d.Row.Reason ?? "", StringComparison.Ordinal));
        Assert.All(dead, d => Assert.Empty(d.Failures));
        await Eventually.HoldsAsync(async () => await PendingAsync(host) == 0, async () => $"{await PendingAsync(host)} pending");
    }

    [Fact]
    public async Task A_failing_handler_does_not_keep_the_events_later_handlers_from_running()
    {
        _deliveries.FailWhen = name => name == "d";
        await using var host = await StartAsync(failingFirst: true);
        await PublishAsync(host, "d", commit: true);

        await _deliveries.WaitForAsync(seen => seen.Contains(("FirstHandler", "d", 1)));
        Assert.Contains(("FlakyHandler", "d", 1), _deliveries.Seen);
    }

    [Fact]
    public async Task A_handler_that_keeps_failing_makes_a_dead_letter_after_the_last_attempt_which_an_admin_can_retry()
    {
        _deliveries.FailWhen = name => name == "doomed";
        await using var host = await StartAsync(failingFirst: true, maxAttempts: 3);
        await PublishAsync(host, "doomed", commit: true);

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            // Once the failure is recorded with its next attempt time, not just seen by the handler: only then is the clock moved past it.
            var recorded = attempt;
            await Eventually.HoldsAsync(async () => await AttemptsAsync(host, "doomed") == recorded, async () => $"{await AttemptsAsync(host, "doomed")} attempts recorded");
            _clock.Advance(TimeSpan.FromMinutes(10));
        }
        var letters = host.Get<DeadLetters>();
        var dead = Assert.Single(await Eventually.ValueAsync(() => letters.ListAsync(null, 10, default), l => l.Count == 1));
        Assert.Equal(3, dead.Row.Attempts);
        Assert.Equal("1 handler(s) still failing after 3 attempt(s): FlakyHandler: flaky handler failed", dead.Row.Reason);
        var failure = Assert.Single(dead.Failures);
        Assert.Equal((typeof(FlakyHandler).FullName, 3L, "flaky handler failed"), (failure.Handler, failure.Attempts, failure.Error));
        Assert.Equal([typeof(FirstHandler).FullName!], dead.DeliveredTo);
        // Bounded: no fourth attempt however long it waits. The next event through the dispatcher is the marker that it had its chance.
        _clock.Advance(TimeSpan.FromHours(1));
        await PublishAsync(host, "marker", commit: true);
        await _deliveries.WaitForAsync(seen => seen.Contains(("FlakyHandler", "marker", 1)));
        Assert.DoesNotContain(_deliveries.Seen, d => d is { Name: "doomed", Attempt: > 3 });

        _deliveries.FailWhen = _ => false;
        Assert.True(await letters.RetryAsync(dead.Row.Id, default));
        await _deliveries.WaitForAsync(seen => seen.Contains(("FlakyHandler", "doomed", 1)) && seen.Count(d => d.Name == "doomed" && d.Handler == "FlakyHandler") == 4);
        await Eventually.HoldsAsync(async () => await PendingAsync(host) == 0, async () => $"{await PendingAsync(host)} pending");
        Assert.Empty(await letters.ListAsync(null, 10, default));
        // The handler that had succeeded was not run again.
        Assert.Single(_deliveries.Seen, d => d is { Handler: "FirstHandler", Name: "doomed" });
        Assert.False(await letters.RetryAsync(dead.Row.Id, default));
    }

    [Fact]
    public void An_unreadable_payload_reaches_live_clients_as_valid_json_with_a_null_payload()
    {
        var live = LiveEvents.LiveEvent.From(7, "test.widget-made", "{not json", "widget:x", _clock.GetUtcNow());

        using var message = System.Text.Json.JsonDocument.Parse(live.Message);
        Assert.Equal(7, message.RootElement.GetProperty("id").GetInt64());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, message.RootElement.GetProperty("payload").ValueKind);
    }

    [Fact]
    public async Task A_discarded_dead_letter_is_never_delivered()
    {
        await using var host = await StartAsync();
        await InsertRawAsync(host, "test.widget-made", "[1, 2]");
        var letters = host.Get<DeadLetters>();
        var dead = Assert.Single(await Eventually.ValueAsync(() => letters.ListAsync(null, 10, default), l => l.Count == 1));

        Assert.True(await letters.DiscardAsync(dead.Row.Id, default));

        Assert.Empty(await letters.ListAsync(null, 10, default));
        Assert.False(await letters.RetryAsync(dead.Row.Id, default));
        Assert.False(await letters.DiscardAsync(dead.Row.Id, default));
        Assert.Equal(0, await PendingAsync(host));
    }

    private Task<KernelHost> StartAsync(bool failingFirst = false, int? maxAttempts = null) => KernelHost.StartAsync(_dir.Path, services =>
    {
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSingleton(_deliveries);
        if (failingFirst)
            services.AddEventHandler<WidgetMade, FlakyHandler>();
        services.AddEventHandler<WidgetMade, FirstHandler>();
        services.AddEventHandler<WidgetMade, FlakyHandler>();
        if (maxAttempts is { } max)
            services.Configure<OutboxOptions>(o => o.MaxAttempts = max);
    });

    private async Task InsertRawAsync(KernelHost host, string type, string payload)
    {
        await using var tx = await host.Get<IDatabase>().BeginWriteAsync(default);
        await tx.Connection.ExecuteAsync(
            "INSERT INTO kernel_outbox (event_type, payload, topics, occurred_at, next_attempt_at) VALUES (@type, @payload, '', @Now, @Now)",
            new { type, payload, Now = _clock.GetUtcNow() }, tx.Transaction);
        tx.HasEvents = true;
        await tx.CommitAsync(default);
    }

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

    private static async Task<long> AttemptsAsync(KernelHost host, string name)
    {
        await using var connection = await host.Get<IDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT attempts FROM kernel_outbox WHERE payload LIKE '%' || @name || '%'", new { name });
    }

    private static async Task<long> PendingAsync(KernelHost host)
    {
        await using var connection = await host.Get<IDatabase>().OpenAsync(default);
        return await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM kernel_outbox WHERE dispatched_at IS NULL AND dead_at IS NULL");
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
