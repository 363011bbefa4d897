using System.Globalization;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Modules.Triggers.Features.Schedules;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static LazyAf.Modules.Triggers.Tests.FakePipelines;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Cron schedules on a fake clock: due slots fire on the default branch's head, once per commit, and a missed slot once after a restart.</summary>
public sealed class ScheduleTests : IAsyncLifetime
{
    private readonly FakePipelines _pipelines = new();
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-24T10:00:30Z", CultureInfo.InvariantCulture));
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;

    public Task InitializeAsync()
    {
        _host = StartHost(_pipelines, _clock, _data.Path);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task An_hourly_schedule_fires_on_the_default_branch_head_dedups_an_unchanged_commit_and_fires_a_missed_slot_once_after_restart()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "scheduled");
        _pipelines.Define(repo.Id, "hourly", Trigger(TriggerKinds.Schedule, cron: "0 * * * *"));
        await Eventually.HoldsAsync(() => KnownRepos().Contains(repo.Id), () => "the repo is not known to the scheduler");
        Assert.Equal(0, await EvaluateAsync());

        _clock.Advance(TimeSpan.FromHours(1));
        await EvaluateAsync();
        var first = await RunsAsync(repo.Id, 1);
        Assert.Equal(("main", await repo.RemoteShaAsync("main"), "schedule"), (first[0].Request.Branch, first[0].Request.Commit, first[0].Request.TriggerKind));

        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await EvaluateAsync());
        await PushTriggerTests.AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 1);

        var next = await repo.CommitAsync("later.txt", "later\n", "a later commit");
        await repo.PushAsync("main");
        await _host.DisposeAsync();
        _clock.Advance(TimeSpan.FromHours(5));
        _host = StartHost(_pipelines, _clock, _data.Path);

        var runs = await RunsAsync(repo.Id, 2);
        Assert.Equal(next, runs[1].Request.Commit);
        await PushTriggerTests.AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 2);
        Assert.Equal(2, (await Firings.OfAsync(_host.Client, repo.Id, "schedule")).Length);
    }

    [Fact]
    public async Task A_schedule_naming_branches_fires_on_each_of_their_heads()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "scheduled-branches");
        var release = await repo.CommitAsync("r.txt", "r\n", "release work");
        await repo.PushAsync("HEAD:release");
        _pipelines.Define(repo.Id, "nightly", Trigger(TriggerKinds.Schedule, ["main", "release", "gone"], cron: "0 3 * * *"));
        await Eventually.HoldsAsync(() => KnownRepos().Contains(repo.Id), () => "the repo is not known to the scheduler");
        await EvaluateAsync();

        _clock.Advance(TimeSpan.FromDays(1));
        await EvaluateAsync();

        var runs = await RunsAsync(repo.Id, 2);
        Assert.Equal([("main", await repo.RemoteShaAsync("main")), ("release", release)], runs.Select(r => (r.Request.Branch, r.Request.Commit)).OrderBy(r => r.Branch));
    }

    [Fact]
    public void Slots_missed_while_down_collapse_into_the_latest_one()
    {
        var cron = ScheduleSlots.Parse("*/15 * * * *")!;
        var last = DateTimeOffset.Parse("2026-11-24T10:00:00Z", CultureInfo.InvariantCulture);

        Assert.Null(ScheduleSlots.Due(cron, last, last.AddMinutes(14)));
        Assert.Equal(last.AddMinutes(15), ScheduleSlots.Due(cron, last, last.AddMinutes(15)));
        Assert.Equal(last.AddHours(5), ScheduleSlots.Due(cron, last, last.AddHours(5).AddMinutes(7)));
        Assert.Null(ScheduleSlots.Parse("every day at noon"));
    }

    private Task<int> EvaluateAsync() => _host.Services.GetRequiredService<ScheduleEvaluator>().EvaluateAsync(default);

    private IReadOnlyList<string> KnownRepos() => _host.Services.GetRequiredService<KnownRepoStore>().AllAsync(default).GetAwaiter().GetResult();

    private async Task<IReadOnlyList<(string RunId, Pipelines.Contracts.PipelineRunRequest Request)>> RunsAsync(string repoId, int count)
    {
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repoId).Count == count, () => $"{_pipelines.RunsOf(repoId).Count} runs: {Firings.Describe(_host.Client, repoId)}");
        return _pipelines.RunsOf(repoId);
    }
}
