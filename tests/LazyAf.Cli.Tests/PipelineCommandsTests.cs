using System.Net.Http.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf pipeline run|runs|show|validate</c> and <c>lazyaf run logs</c> against a real host running script steps.</summary>
public sealed class PipelineCommandsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Pipeline = """
        name: ci
        steps:
          - id: build
            config: {command: 'echo "building for $TARGET"'}
          - id: test
            config: {command: 'echo testing; echo warn >&2'}
        """;

    private readonly TempDir _work = new();
    private readonly LazyafCli _cli = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Run_follows_the_steps_then_runs_show_and_run_logs_tell_the_same_story()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cli-pipeline");
        await repo.CommitAsync(".lazyaf/pipelines/ci.yml", Pipeline, "pipeline");
        await repo.PushAsync("main");
        var head = await repo.GitAsync("rev-parse", "HEAD");

        var started = (await _cli.RunAsync(_work.Path, "pipeline", "run", "cli-pipeline", "ci", "--param", "TARGET=arm64", "-f")).AssertExitedZero();

        var lines = started.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var runId = lines[0];
        Assert.Matches("^[0-9a-f]{32}$", runId);
        Assert.Equal($"Started pipeline ci on main at {head}", lines[1]);
        // Each step's output as it ran, marked with the step, then its state with how long it took.
        Assert.Contains("  build | building for arm64", lines);
        Assert.Contains("  test | testing", lines);
        Assert.Contains("  test | warn", started.Error.Split('\n'));
        Assert.Matches(@"^  build: passed in \d+(\.\d)?s$", lines.Single(l => l.StartsWith("  build: passed", StringComparison.Ordinal)));
        Assert.Matches(@"^  test: passed in \d+(\.\d)?s$", lines.Single(l => l.StartsWith("  test: passed", StringComparison.Ordinal)));
        Assert.True(Array.IndexOf(lines, "  build | building for arm64") < Array.FindIndex(lines, l => l.StartsWith("  build: passed", StringComparison.Ordinal)));
        Assert.Equal($"Run {runId} passed", lines[^1]);

        var runs = (await _cli.RunAsync(_work.Path, "pipeline", "runs", "cli-pipeline", "--state", "passed")).AssertSucceeded();
        Assert.Contains(runId, runs.Output, StringComparison.Ordinal);
        var show = (await _cli.RunAsync(_work.Path, "pipeline", "show", runId)).AssertSucceeded();
        Assert.StartsWith($"ci run {runId}: passed", show.Output, StringComparison.Ordinal);
        Assert.Contains($"commit:   {head}", show.Output, StringComparison.Ordinal);
        // Nothing was committed: no work branch to point at, and it ended where it started.
        Assert.Contains("  branch:   main\n", show.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("ended at", show.Output, StringComparison.Ordinal);

        var build = (await _cli.RunAsync(_work.Path, "run", "logs", runId, "build")).AssertSucceeded();
        Assert.Contains("building for arm64", build.Output, StringComparison.Ordinal);
        var test = (await _cli.RunAsync(_work.Path, "run", "logs", runId, "test", "-f")).AssertExitedZero();
        Assert.Contains("testing", test.Output, StringComparison.Ordinal);
        Assert.Equal("warn\nstep test passed\n", test.Error);

        Assert.Contains("no step 'nope'", (await _cli.RunAsync(_work.Path, "run", "logs", runId, "nope")).AssertFailedWithOneLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_on_a_branch_the_repo_lacks_says_so_and_not_that_the_pipeline_is_missing()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cli-pipeline-branch");
        await repo.CommitAsync(".lazyaf/pipelines/ci.yml", Pipeline, "pipeline");
        await repo.PushAsync("main");

        Assert.Equal("lazyaf: No such branch: cli-pipeline-branch has no branch 'nosuch'; push it to LazyAF first.",
            (await _cli.RunAsync(_work.Path, "pipeline", "run", "cli-pipeline-branch", "ci", "--branch", "nosuch")).AssertFailedWithOneLine());
        Assert.Equal("lazyaf: no pipeline 'nope' in cli-pipeline-branch",
            (await _cli.RunAsync(_work.Path, "pipeline", "run", "cli-pipeline-branch", "nope")).AssertFailedWithOneLine());
        Assert.Contains("has no pipeline runs", (await _cli.RunAsync(_work.Path, "pipeline", "runs", "cli-pipeline-branch")).AssertSucceeded().Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pipeline_file_with_an_error_pushed_to_a_branch_is_a_failed_run_saying_where_the_error_is()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cli-broken-file");
        await repo.GitAsync("checkout", "--quiet", "-b", "topic");
        var sha = await repo.CommitAsync(".lazyaf/pipelines/ci.yml", "name: ci\ntriggers:\n  - push: {}\nsteps:\n  - id: a\n    config: {command: make, comand: make}\n", "broken pipeline");
        await repo.PushAsync("topic");

        var run = Assert.Single(await Eventually.ValueAsync(() => RunsAsync(repo.Id), runs => runs.Length == 1 && runs[0].Str("state") == "failed"));
        Assert.Equal(("ci", "topic", sha, "failed", "push"), (run.Str("pipeline"), run.Str("branch"), run.Str("commit_sha"), run.Str("state"), run.Str("trigger_kind")));
        Assert.Matches(@"^pipeline 'ci' \(\.lazyaf/pipelines/ci\.yml\) is invalid: 6:\d+: unknown key 'comand' in step a\.config", run.Str("error"));

        var listed = (await _cli.RunAsync(_work.Path, "pipeline", "runs", "cli-broken-file")).AssertSucceeded().Output;
        Assert.Matches(@"failed .* pipeline 'ci' \(\.lazyaf/pipelines/ci\.yml\) is invalid: 6:\d+: unknown key 'comand'", listed);
        // The runner's own branches carry the same file; their pushes do not report it again.
        await OutboxDrain.WaitAsync(fixture.Host.Services);
        Assert.Single(await RunsAsync(repo.Id));
    }

    private async Task<System.Text.Json.JsonElement[]> RunsAsync(string repoId) =>
        (await fixture.Host.Client.GetFromJsonAsync<System.Text.Json.JsonElement[]>($"/api/pipeline-runs?repo_id={repoId}"))!;

    [Fact]
    public async Task Validate_prints_one_compiler_style_line_per_error_and_exits_1()
    {
        var path = Path.Combine(_work.Path, "ci.yml");
        await File.WriteAllTextAsync(path, "name: ci\nsteps:\n  - id: a\n    needs: [ghost]\n    config: {command: 'true', comand: x}\n");

        var invalid = await _cli.RunAsync(_work.Path, "pipeline", "validate", "ci.yml");

        Assert.Equal(1, invalid.ExitCode);
        // Compared as one text, so a failure shows the whole of each line.
        Assert.Equal("ci.yml:4:13: step a needs 'ghost', which is not a step id\nci.yml:5:31: unknown key 'comand' in step a.config (allowed: env, secrets, working_dir, timeout_seconds, runner_retries, artifacts, commit, command)",
            string.Join('\n', invalid.ErrorLines.Order(StringComparer.Ordinal)));

        await File.WriteAllTextAsync(path, Pipeline);
        var valid = (await _cli.RunAsync(_work.Path, "pipeline", "validate", "ci.yml")).AssertSucceeded();
        Assert.Equal("ci.yml: valid pipeline ci (2 steps)\n", valid.Output);
    }
}
