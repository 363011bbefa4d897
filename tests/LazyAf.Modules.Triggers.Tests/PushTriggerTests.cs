using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;
using static LazyAf.Modules.Triggers.Tests.FakePipelines;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Real <c>git push</c>es through LazyAF's git server, against pipelines declared by the test.</summary>
public sealed class PushTriggerTests : IAsyncLifetime
{
    private readonly FakePipelines _pipelines = new();
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;

    public Task InitializeAsync()
    {
        _host = StartHost(_pipelines);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_push_runs_the_pipelines_whose_globs_match_the_branch_at_the_pushed_sha()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "push-globs");
        _pipelines.Define(repo.Id, "features", Trigger(TriggerKinds.Push, ["feature/*"]));
        _pipelines.Define(repo.Id, "deep", Trigger(TriggerKinds.Push, ["release/**"]));
        _pipelines.Define(repo.Id, "mainline", Trigger(TriggerKinds.Push, ["main"]));

        await repo.GitAsync("checkout", "--quiet", "-b", "feature/login");
        var featureSha = await repo.CommitAsync("login.txt", "login\n", "login");
        await repo.PushAsync("feature/login");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature/nested/deeper");
        await repo.CommitAsync("deeper.txt", "x\n", "deeper");
        await repo.PushAsync("feature/nested/deeper");
        await repo.GitAsync("checkout", "--quiet", "-b", "release/2026/11");
        var releaseSha = await repo.CommitAsync("release.txt", "r\n", "release");
        await repo.PushAsync("release/2026/11");

        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 2, () => string.Join(", ", _pipelines.RunsOf(repo.Id)));
        var runs = _pipelines.RunsOf(repo.Id).Select(r => r.Request).OrderBy(r => r.Pipeline).ToList();
        Assert.Equal(("deep", "release/2026/11", releaseSha), (runs[0].Pipeline, runs[0].Branch, runs[0].Commit));
        Assert.Equal(("features", "feature/login", featureSha), (runs[1].Pipeline, runs[1].Branch, runs[1].Commit));
        Assert.All(runs, r => Assert.Equal("push", r.TriggerKind));
        // `*` stays within one segment: feature/nested/deeper matched nothing, and nobody pushed main.
        await AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 2);
    }

    [Fact]
    public async Task Pushes_to_lazyaf_branches_run_only_the_triggers_that_ask_for_them_and_deletions_run_nothing()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "push-lazyaf");
        _pipelines.Define(repo.Id, "everything", Trigger(TriggerKinds.Push, ["**"]));
        _pipelines.Define(repo.Id, "card-branches", Trigger(TriggerKinds.Push, ["lazyaf/*"], includeLazyaf: true));

        await repo.GitAsync("checkout", "--quiet", "-b", "lazyaf/card-1");
        var sha = await repo.CommitAsync("work.txt", "w\n", "runner's work");
        await repo.PushAsync("lazyaf/card-1");
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => string.Join(", ", _pipelines.RunsOf(repo.Id)));
        await repo.PushAsync(":lazyaf/card-1");
        await repo.GitAsync("checkout", "--quiet", "-b", "topic");
        await repo.PushAsync("topic");
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 2, () => string.Join(", ", _pipelines.RunsOf(repo.Id)));

        var runs = _pipelines.RunsOf(repo.Id).Select(r => r.Request).ToList();
        Assert.Equal(("card-branches", "lazyaf/card-1", sha), (runs[0].Pipeline, runs[0].Branch, runs[0].Commit));
        Assert.Equal(("everything", "topic"), (runs[1].Pipeline, runs[1].Branch));
        await AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 2);
    }

    [Fact]
    public async Task The_same_commit_pushed_to_a_branch_twice_runs_once_unless_it_is_a_new_commit()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "push-dedup");
        _pipelines.Define(repo.Id, "ci", Trigger(TriggerKinds.Push, ["topic"]));

        await repo.GitAsync("checkout", "--quiet", "-b", "topic");
        var first = await repo.CommitAsync("a.txt", "a\n", "a");
        await repo.PushAsync("topic");
        await repo.PushAsync("--force", "topic~1:topic");
        await repo.PushAsync("--force", "topic:topic");
        var second = await repo.CommitAsync("b.txt", "b\n", "b");
        await repo.PushAsync("topic");

        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 3, () => string.Join(", ", _pipelines.RunsOf(repo.Id)));
        var initial = await repo.GitAsync("rev-parse", "main");
        Assert.Equal([first, initial, second], _pipelines.RunsOf(repo.Id).Select(r => r.Request.Commit));
        await AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 3);
        Assert.Equal(3, (await Firings.OfAsync(_host.Client, repo.Id)).Length);
    }

    [Fact]
    public async Task A_push_event_delivered_again_starts_no_second_run()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "push-redelivered");
        _pipelines.Define(repo.Id, "ci", Trigger(TriggerKinds.Push, ["topic"]));
        await repo.GitAsync("checkout", "--quiet", "-b", "topic");
        var sha = await repo.CommitAsync("a.txt", "a\n", "a");
        await repo.PushAsync("topic");
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => "no run");
        var pushed = (await repo.PushesAsync()).Single(p => p.Str("ref") == "refs/heads/topic");

        // What the outbox does after a crash between a handler's work and its delivery record: the same event again.
        var again = new PushReceived(repo.Id, pushed.Str("push_id"), "refs/heads/topic", PushReceived.ZeroSha, sha, "push", DateTimeOffset.UtcNow);
        for (var i = 0; i < 3; i++)
        {
            await using var tx = await _host.Services.GetRequiredService<IDatabase>().BeginWriteAsync(default);
            await _host.Services.GetRequiredService<IEventOutbox>().EnqueueAsync(tx, again, default);
            await tx.CommitAsync(default);
        }

        await AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 1);
        Assert.Single(await Firings.OfAsync(_host.Client, repo.Id));
    }

    /// <summary>
    /// Waits until the host has handled every event so far (each push, firing and run it caused), then checks
    /// that nothing more happened than <paramref name="condition"/> allows.
    /// </summary>
    internal static async Task AssertStillAsync(LazyAfHost host, Func<bool> condition)
    {
        await OutboxDrain.WaitAsync(host.Services);
        Assert.True(condition());
    }
}
