using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>merge:{branch} and trigger:pipeline:{name} routes, and a run on a card's branch.</summary>
public sealed class RouteTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Merge_on_success_merges_the_work_into_the_branch_and_triggers_the_next_pipeline_on_the_same_commit()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "merge-route");
        await PipelineRuns.CommitPipelineAsync(repo, "after", "name: after\nsteps:\n  - id: check\n    config: {command: 'test -f made.txt || true'}\n");
        var commit = await PipelineRuns.CommitPipelineAsync(repo, "ship", """
            name: ship
            steps:
              - id: make
                config: {command: "echo made > made.txt", commit: true}
                on_success: merge:main
              - id: announce
                config: {command: "echo shipped"}
                on_success: trigger:pipeline:after
            """);

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "ship"));

        Assert.Equal("passed", run.Str("state"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("made", await repo.GitAsync("show", "origin/main:made.txt"));
        var triggered = (await (await fixture.Host.Client.GetAsync($"/api/pipeline-runs?repo_id={repo.Id}&pipeline=after")).JsonAsync(System.Net.HttpStatusCode.OK))
            .EnumerateArray().Single();
        Assert.Equal(("pipeline", run.Str("id"), commit), (triggered.Str("trigger_kind"), triggered.Str("trigger_id"), triggered.Str("commit_sha")));
        Assert.Equal("passed", (await _runs.SettledAsync(triggered.Str("id"))).Str("state"));
    }

    [Fact]
    public async Task A_trigger_pipeline_route_whose_run_fails_to_start_is_retried_until_it_starts()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "durable-route");
        await PipelineRuns.CommitPipelineAsync(repo, "later", "name: later\nsteps:\n  - id: check\n    config: {command: 'true'}\n");
        await PipelineRuns.CommitPipelineAsync(repo, "first", "name: first\nsteps:\n  - id: go\n    config: {command: 'true'}\n    on_success: trigger:pipeline:later\n");
        // The database refuses the triggered run for now, as a full or failing disk would.
        await ExecuteAsync($"CREATE TRIGGER refuse_{repo.Id} BEFORE INSERT ON pipelines_runs WHEN NEW.repo_id = '{repo.Id}' AND NEW.pipeline = 'later' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");

        Assert.Equal("passed", (await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "first"))).Str("state"));
        await Eventually.HoldsAsync(async () => await RefusedStartsAsync() > 0, async () => $"{await RefusedStartsAsync()} refused starts");
        await ExecuteAsync($"DROP TRIGGER refuse_{repo.Id}");

        var later = await Eventually.ValueAsync(async () => (await (await fixture.Host.Client.GetAsync($"/api/pipeline-runs?repo_id={repo.Id}&pipeline=later"))
            .JsonAsync(System.Net.HttpStatusCode.OK)).EnumerateArray().ToList(), runs => runs.Count > 0, TimeSpan.FromSeconds(60));
        Assert.Equal("passed", (await _runs.SettledAsync(Assert.Single(later).Str("id"))).Str("state"));
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = await fixture.Host.Services.GetRequiredService<Kernel.Db.IDatabase>().OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private async Task<long> RefusedStartsAsync()
    {
        await using var connection = await fixture.Host.Services.GetRequiredService<Kernel.Db.IDatabase>().OpenAsync(default);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM kernel_outbox_failures WHERE handler LIKE '%StartRoutedRun' AND last_error LIKE '%refused by the test%'";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task A_merge_that_conflicts_fails_the_run_with_the_conflicting_paths_and_leaves_the_target_unchanged()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "merge-conflict");
        await repo.CommitAsync("shared.txt", "base\n", "base");
        await PipelineRuns.CommitPipelineAsync(repo, "ship", "name: ship\nsteps:\n  - id: edit\n    config: {command: 'sleep 2; echo from-run > shared.txt', commit: true}\n    on_success: merge:main\n");
        var runId = await _runs.RunAsync(repo.Id, "ship");
        var mainMoved = await repo.CommitAsync("shared.txt", "from-main\n", "main moves on");
        await repo.PushAsync("main");

        var run = await _runs.SettledAsync(runId);

        Assert.Equal("failed", run.Str("state"));
        Assert.Contains("conflicts in: shared.txt", run.Str("error"), StringComparison.Ordinal);
        Assert.Equal(mainMoved, await repo.RemoteShaAsync("main"));
    }

    [Fact]
    public async Task On_failure_next_tolerates_a_failure_and_on_success_stop_ends_the_run_passed()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "next-stop");
        await PipelineRuns.CommitPipelineAsync(repo, "tolerant", """
            name: tolerant
            steps:
              - id: lint
                config: {command: "exit 3"}
                on_failure: next
              - id: test
                config: {command: "true"}
                on_success: stop
              - id: never
                config: {command: "true"}
            """);

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "tolerant"));

        Assert.Equal("passed", run.Str("state"));
        Assert.Equal(["failed", "passed", "skipped"], run.GetProperty("steps").EnumerateArray().Select(s => s.Str("state")));
    }

    [Fact]
    public async Task A_card_run_works_on_the_card_branch_at_its_head()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "card-branch");
        await PipelineRuns.CommitPipelineAsync(repo, "check", "name: check\nsteps:\n  - id: sha\n    config: {command: 'git rev-parse HEAD > seen.txt', commit: true}\n");
        await repo.GitAsync("checkout", "--quiet", "-b", "lazyaf/card-1234abcd");
        var head = await repo.CommitAsync("card.txt", "the card's work", "card work");
        await repo.PushAsync("lazyaf/card-1234abcd");

        var start = await fixture.Host.Services.GetRequiredService<IPipelineRuns>().StartAsync(
            new PipelineRunRequest(repo.Id, "check", "lazyaf/card-1234abcd", null, "card_complete", new Dictionary<string, string>()) { CardId = "0196a1b2c3d4e5f60718293a4b5c6d7e" },
            CancellationToken.None);
        var run = await _runs.SettledAsync(start.RunId);

        Assert.Equal(("passed", head, "lazyaf/card-1234abcd"), (run.Str("state"), run.Str("commit_sha"), run.Str("work_branch")));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal(head, await repo.GitAsync("show", "origin/lazyaf/card-1234abcd:seen.txt"));
    }
}
