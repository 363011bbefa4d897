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
        Assert.Contains("  build: passed", lines);
        Assert.Contains("  test: passed", lines);
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
    public async Task Validate_prints_one_compiler_style_line_per_error_and_exits_1()
    {
        var path = Path.Combine(_work.Path, "ci.yml");
        await File.WriteAllTextAsync(path, "name: ci\nsteps:\n  - id: a\n    needs: [ghost]\n    config: {command: 'true', comand: x}\n");

        var invalid = await _cli.RunAsync(_work.Path, "pipeline", "validate", "ci.yml");

        Assert.Equal(1, invalid.ExitCode);
        // Compared as one text, so a failure shows the whole of each line.
        Assert.Equal("ci.yml:4:13: step a needs 'ghost', which is not a step id\nci.yml:5:31: unknown key 'comand' in step a.config (allowed: env, secrets, working_dir, timeout_seconds, runner_retries, artifacts, command)",
            string.Join('\n', invalid.ErrorLines.Order(StringComparer.Ordinal)));

        await File.WriteAllTextAsync(path, Pipeline);
        var valid = (await _cli.RunAsync(_work.Path, "pipeline", "validate", "ci.yml")).AssertSucceeded();
        Assert.Equal("ci.yml: valid pipeline ci (2 steps)\n", valid.Output);
    }
}
