using System.Collections.Concurrent;
using LazyAf.Kernel;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Repos.Tests;

public sealed class PushEventsTests : IDisposable
{
    private readonly TempDir _work = new();
    private readonly TempDir _data = new("lazyaf-data");
    private readonly PushInbox _inbox = new();

    public void Dispose()
    {
        _work.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Concurrent_pushers_to_different_branches_both_land_and_each_update_is_recorded_and_published_once()
    {
        await using var host = LazyAfHost.Start(_data.Path, Subscribe<RecordingHandler>);
        var repo = await SeededRepo.CreateAsync(host, _work, "concurrent");
        var pushers = new[] { "alice", "bob" };
        var clones = new Dictionary<string, string>();
        foreach (var name in pushers)
        {
            clones[name] = _work.Combine(name);
            await TestGit.RunAsync(_work.Path, "clone", "--quiet", host.GitUrl(repo.Id), clones[name]);
            await TestGit.RunAsync(clones[name], "checkout", "--quiet", "-b", name);
        }

        const int rounds = 5;
        var tips = new ConcurrentDictionary<string, string>();
        await Task.WhenAll(pushers.Select(async name =>
        {
            for (var round = 0; round < rounds; round++)
            {
                tips[name] = await TestGit.CommitFileAsync(clones[name], $"{name}.txt", $"{name} {round}\n", $"{name} round {round}");
                await TestGit.RunAsync(clones[name], "push", "--quiet", "origin", name);
            }
        }));

        foreach (var name in pushers)
            Assert.Equal(tips[name], await repo.RemoteShaAsync(name));
        var recorded = (await repo.PushesAsync()).Where(p => p.Str("ref") != "refs/heads/main").ToList();
        Assert.Equal(rounds * pushers.Length, recorded.Count);
        Assert.Equal(recorded.Count, recorded.Select(p => (p.Str("ref"), p.Str("new_sha"))).Distinct().Count());

        await _inbox.WaitForAsync(events => events.Count(e => e.Ref != "refs/heads/main") == rounds * pushers.Length);
        // A later push's event comes after any duplicate of the earlier ones would have: once it is in, none is missed.
        await TestGit.RunAsync(clones["alice"], "push", "--quiet", "origin", "HEAD:refs/heads/marker");
        await _inbox.WaitForAsync(events => events.Any(e => e.Ref == "refs/heads/marker"));
        var published = _inbox.Events.Where(e => e.Ref is not ("refs/heads/main" or "refs/heads/marker")).ToList();
        Assert.Equal(rounds * pushers.Length, published.Count);
        Assert.Equal(published.Count, published.Select(e => (e.PushId, e.Ref)).Distinct().Count());
        Assert.All(published, e => Assert.Equal("push", e.Source));
    }

    [Fact]
    public async Task Push_events_not_yet_dispatched_when_the_host_stops_are_delivered_after_restart()
    {
        string repoId, sha;
        await using (var host = LazyAfHost.Start(_data.Path, Subscribe<StuckHandler>))
        {
            var repo = await SeededRepo.CreateAsync(host, _work, "restart");
            repoId = repo.Id;
            sha = await repo.CommitAsync("after.txt", "x\n", "Pushed before the crash");
            await repo.PushAsync("main");
            Assert.Contains(await repo.PushesAsync(), p => p.Str("new_sha") == sha);
        }
        Assert.Empty(_inbox.Events);

        await using var restarted = LazyAfHost.Start(_data.Path, Subscribe<RecordingHandler>);

        await _inbox.WaitForAsync(events => events.Any(e => e.RepoId == repoId && e.NewSha == sha));
    }

    [Fact]
    public async Task A_push_whose_host_died_before_recording_it_is_recorded_at_the_next_start()
    {
        string repoId, sha;
        await using (var host = LazyAfHost.Start(_data.Path, Subscribe<RecordingHandler>))
        {
            var repo = await SeededRepo.CreateAsync(host, _work, "unrecorded");
            (repoId, sha) = (repo.Id, await repo.GitAsync("rev-parse", "HEAD"));
        }
        // What git's reference-transaction hook leaves behind when the host dies before it reads the journal.
        var pushId = Ids.New();
        var logs = Path.Combine(_data.Path, "tmp", "pushes");
        await File.WriteAllTextAsync(Path.Combine(logs, $"{repoId}.{pushId}.push.log"), $"{PushReceived.ZeroSha} {sha} refs/heads/recovered\n");

        await using var restarted = LazyAfHost.Start(_data.Path, Subscribe<RecordingHandler>);

        await _inbox.WaitForAsync(events => events.Any(e => e.PushId == pushId && e.Ref == "refs/heads/recovered"));
        Assert.Empty(Directory.GetFiles(logs));
    }

    private void Subscribe<THandler>(IServiceCollection services) where THandler : class, IIntegrationEventHandler<PushReceived>
    {
        services.AddSingleton(_inbox);
        services.AddEventHandler<PushReceived, THandler>();
    }

    private sealed class PushInbox
    {
        private readonly ConcurrentQueue<PushReceived> _events = new();

        public IReadOnlyList<PushReceived> Events => [.. _events];

        public void Add(PushReceived @event) => _events.Enqueue(@event);

        public Task WaitForAsync(Func<IReadOnlyList<PushReceived>, bool> condition) =>
            Eventually.HoldsAsync(() => condition(Events), () => string.Join(", ", Events));
    }

    private sealed class RecordingHandler(PushInbox inbox) : IIntegrationEventHandler<PushReceived>
    {
        public Task HandleAsync(PushReceived @event, EventContext context, CancellationToken ct)
        {
            inbox.Add(@event);
            return Task.CompletedTask;
        }
    }

    /// <summary>Never finishes: the host stops with its events still undelivered, as in a crash.</summary>
    private sealed class StuckHandler : IIntegrationEventHandler<PushReceived>
    {
        public Task HandleAsync(PushReceived @event, EventContext context, CancellationToken ct) => Task.Delay(Timeout.Infinite, ct);
    }
}
