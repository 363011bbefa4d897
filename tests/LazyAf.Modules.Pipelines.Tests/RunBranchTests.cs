using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>A run that is not a card's works on lazyaf/run-{id}: gone when the run committed nothing, kept when it holds the run's work.</summary>
public sealed class RunBranchTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_run_that_commits_nothing_leaves_no_branch_behind_and_ends_at_the_commit_it_built()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "run-branch-clean");
        var commit = await PipelineRuns.CommitPipelineAsync(repo, "check", "name: check\nsteps:\n  - id: a\n    config: {command: 'true'}\n  - id: b\n    config: {command: 'true'}\n");

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "check"));

        Assert.Equal(("passed", commit), (run.Str("state"), run.Str("head_sha")));
        var branch = run.Str("work_branch");
        Assert.StartsWith("lazyaf/run-", branch, StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => await repo.RemoteShaAsync(branch) is null, async () => $"{branch} at {await repo.RemoteShaAsync(branch)}");
        Assert.Equal(commit, await repo.RemoteShaAsync("main"));
    }

    [Fact]
    public async Task A_run_whose_steps_commit_keeps_its_branch_and_ends_at_their_commit()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "run-branch-kept");
        await PipelineRuns.CommitPipelineAsync(repo, "check", "name: check\nsteps:\n  - id: a\n    config: {command: 'true'}\n");
        var commit = await PipelineRuns.CommitPipelineAsync(repo, "gen", "name: gen\nsteps:\n  - id: generate\n    config: {command: 'echo generated > gen.txt', commit: true}\n    continue_in_context: true\n  - id: check\n    config: {command: 'grep -q generated gen.txt'}\n");

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "gen"));

        Assert.Equal("passed", run.Str("state"));
        var branch = run.Str("work_branch");
        var tip = await repo.RemoteShaAsync(branch);
        Assert.NotNull(tip);
        Assert.Equal(tip, run.Str("head_sha"));
        await repo.GitAsync("fetch", "--quiet", "origin", branch);
        Assert.Equal(commit, await repo.GitAsync("rev-parse", $"{tip}^"));
        // A later run's branch going proves the cleanup has seen this run's end too, and kept its branch.
        var later = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "check"));
        await Eventually.HoldsAsync(async () => await repo.RemoteShaAsync(later.Str("work_branch")) is null, () => Task.FromResult("the later run's branch is still there"));
        Assert.Equal(tip, await repo.RemoteShaAsync(branch));
    }
}
