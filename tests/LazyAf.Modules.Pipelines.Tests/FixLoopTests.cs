using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>The fix loop with script fix steps: one that fixes, one that changes the failure but never fixes it, one that changes nothing.</summary>
public sealed class FixLoopTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    private static string Loop(string test, string fix, int maxAttempts = 3) => $"""
        name: loop
        max_attempts: {maxAttempts}
        steps:
          - id: test
            config:
              command: '{test}'
            on_failure: run:fix
          - id: fix
            type: script
            config:
              command: '{fix}'
              commit: true
        """;

    [Fact]
    public async Task A_fix_step_gets_the_failure_in_its_context_commits_a_fix_and_the_test_step_passes_on_its_second_attempt()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "fix-works");
        await PipelineRuns.CommitPipelineAsync(repo, "loop", Loop(
            "test -f fixed.txt || { echo \"fixed.txt is missing\"; exit 1; }",
            "grep -q \"fixed.txt is missing\" .lazyaf-context/previous-steps.md && echo ok > fixed.txt"));

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "loop"));

        Assert.Equal("passed", run.Str("state"));
        var test = PipelineRuns.Step(run, "test");
        Assert.Equal(["failed", "passed"], test.GetProperty("attempts").EnumerateArray().Select(a => a.Str("state")));
        Assert.Equal(2, test.GetProperty("attempt").GetInt32());
        var fix = Assert.Single(PipelineRuns.Step(run, "fix").GetProperty("attempts").EnumerateArray());
        Assert.Equal("passed", fix.Str("state"));
        Assert.Equal("test", fix.Str("fix_for"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("ok", await repo.GitAsync("show", $"origin/{run.Str("work_branch")}:fixed.txt"));
        Assert.Contains("fixed.txt is missing", await _runs.LogsAsync(run.Str("id"), "test", attempt: 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_fix_step_gets_the_failing_tests_in_its_prompt_and_the_tests_pass_after_its_fix()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "agent-fix");
        await repo.CommitAsync(".gitignore", "reports/\n", "ignore reports");
        await PipelineRuns.CommitPipelineAsync(repo, "loop", """
            name: loop
            steps:
              - id: test
                config:
                  command: |
                    mkdir -p reports
                    if [ -f fixed.txt ]; then result='<testcase classname="suite" name="widget_works"/>'; else result='<testcase classname="suite" name="widget_works"><failure message="widget broke">expected ok</failure></testcase>'; fi
                    echo "<testsuite name=\"suite\">$result</testsuite>" > reports/junit.xml
                on_failure: run:fix
              - id: fix
                type: agent
                config:
                  agent: command
                  command: 'grep -q "suite.widget_works" "$LAZYAF_PROMPT_FILE" && echo ok > fixed.txt'
                  prompt_template: "Make these pass: {{test_failures}}"
            """);

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "loop"));

        Assert.Equal("passed", run.Str("state"));
        var attempts = PipelineRuns.Step(run, "test").GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal(["failed", "passed"], attempts.Select(a => a.Str("state")));
        Assert.Equal("suite.widget_works", attempts[0].GetProperty("tests").GetProperty("failed_tests")[0].GetString());
        Assert.Equal(1, run.GetProperty("tests").GetProperty("passed").GetInt32());
    }

    [Fact]
    public async Task A_fix_that_never_works_is_bounded_by_max_attempts()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "fix-bounded");
        // Each fix changes the failure (a new exit code), so the loop makes "progress" but never passes.
        await PipelineRuns.CommitPipelineAsync(repo, "loop", Loop(
            "n=$(cat count.txt 2>/dev/null || echo 0); echo \"failure $n\"; exit $((10 + n))",
            "n=$(cat count.txt 2>/dev/null || echo 0); echo $((n + 1)) > count.txt"));

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "loop"));

        Assert.Equal("failed", run.Str("state"));
        Assert.StartsWith("fix loop gave up after 3 attempts", run.Str("error"), StringComparison.Ordinal);
        var attempts = PipelineRuns.Step(run, "test").GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([10, 11, 12], attempts.Select(a => a.GetProperty("exit_code").GetInt32()));
        Assert.Equal([1, 2, 3], attempts.Select(a => a.GetProperty("round").GetInt32()));
        Assert.Equal(2, PipelineRuns.Step(run, "fix").GetProperty("attempts").GetArrayLength());
    }

    [Fact]
    public async Task The_same_failure_twice_in_a_row_stops_the_loop_early_with_no_progress()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "fix-stuck");
        await PipelineRuns.CommitPipelineAsync(repo, "loop", Loop("echo always broken; exit 7", "echo trying", maxAttempts: 5));

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "loop"));

        Assert.Equal("failed", run.Str("state"));
        Assert.StartsWith("fix loop made no progress: step test failed", run.Str("error"), StringComparison.Ordinal);
        Assert.Equal(2, PipelineRuns.Step(run, "test").GetProperty("attempts").GetArrayLength());
        Assert.Equal(1, PipelineRuns.Step(run, "fix").GetProperty("attempts").GetArrayLength());
    }
}
