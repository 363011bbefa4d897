using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>Acceptance 7: a real C project's own test suite (CMake + CTest) as a pipeline, its test counts on the run.</summary>
public sealed class CMakeProjectTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Pipeline = CMakeCalcProject.Pipeline;

    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_CMake_project_builds_and_its_CTest_suite_shows_its_counts_on_the_run()
    {
        var repo = await SeedAsync("c-pass", "a * b");

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "ctest"), timeoutSeconds: 180);

        Assert.Equal("passed", run.Str("state"));
        var tests = PipelineRuns.Step(run, "test").GetProperty("tests");
        Assert.Equal((3, 3, 0), (tests.GetProperty("total").GetInt32(), tests.GetProperty("passed").GetInt32(), tests.GetProperty("failed").GetInt32()));
        Assert.Equal(3, run.GetProperty("tests").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_failing_CTest_test_fails_the_run_with_its_name()
    {
        var repo = await SeedAsync("c-fail", "a + b");

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "ctest"), timeoutSeconds: 180);

        Assert.Equal("failed", run.Str("state"));
        var tests = PipelineRuns.Step(run, "test").GetProperty("tests");
        Assert.Equal((3, 2, 1), (tests.GetProperty("total").GetInt32(), tests.GetProperty("passed").GetInt32(), tests.GetProperty("failed").GetInt32()));
        Assert.Equal("mul.mul", Assert.Single(tests.GetProperty("failed_tests").EnumerateArray()).GetString());
        Assert.Contains("1 of 3 tests failed: mul.mul", run.Str("error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fix_step_is_told_the_failing_CTest_tests_message_and_output()
    {
        // The fix "agent" keeps the prompt it was given on the branch, where the test reads it back.
        var repo = await SeedAsync("c-fix-prompt", "a + b", Pipeline.Replace("name: ctest", "name: ctest\nmax_attempts: 2", StringComparison.Ordinal) + "\n"
            + """
                on_failure: run:fix
              - id: fix
                type: agent
                config:
                  agent: command
                  command: 'cp "$LAZYAF_PROMPT_FILE" fix-prompt.txt'
                  prompt_template: "Make these pass:\n{{test_failures}}"
            """);

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "ctest"), timeoutSeconds: 180);

        Assert.Equal("passed", PipelineRuns.Step(run, "fix").GetProperty("attempts")[0].Str("state"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        var prompt = await repo.GitAsync("show", $"origin/{run.Str("work_branch")}:fix-prompt.txt");
        Assert.Contains("- mul.mul", prompt, StringComparison.Ordinal);
        Assert.Contains("FAILED: mul(4, 3) == 12", prompt, StringComparison.Ordinal);
    }

    private async Task<SeededRepo> SeedAsync(string name, string multiply, string? pipeline = null)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, name);
        await CMakeCalcProject.CommitAsync(repo, multiply, pipeline: pipeline ?? Pipeline);
        return repo;
    }
}
