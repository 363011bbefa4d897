using LazyAf.Runner.TestReports;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

public sealed class ConsoleTestSummaryTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Theory]
    [InlineData("collected 4 items\n\n===== 1 failed, 2 passed, 1 skipped in 0.12s =====\n", 4, 2, 1, 1)]
    [InlineData("Tests:       1 failed, 2 passed, 3 total\nTime: 1 s\n", 3, 2, 1, 0)]
    [InlineData("Failed!  - Failed:     1, Passed:     2, Skipped:     0, Total:     3, Duration: 1 s\n", 3, 2, 1, 0)]
    [InlineData("test result: FAILED. 2 passed; 1 failed; 0 ignored; 0 measured\n", 3, 2, 1, 0)]
    [InlineData("==== 5 passed in 1.20s ====\n", 5, 5, 0, 0)]
    public void The_summary_lines_of_common_runners_are_counted(string output, int total, int passed, int failed, int skipped)
    {
        var summary = ConsoleTestSummary.Parse(output);

        Assert.NotNull(summary);
        Assert.Equal((total, passed, failed, skipped), (summary.Total, summary.Passed, summary.Failed, summary.Skipped));
    }

    [Fact]
    public void Output_without_a_summary_has_no_tests()
    {
        Assert.Null(ConsoleTestSummary.Parse("building…\ndone, 3 files written\n"));
    }

    [Fact]
    public async Task A_step_whose_runner_prints_failures_but_exits_zero_fails_with_the_counts()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);

        var result = await bed.RunAsync(bed.Script("printf '%s\\n' '===== 1 failed, 3 passed in 0.40s ====='"));

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal("1 of 4 tests failed", result.Error);
        Assert.Equal(4, result.Tests!.Total);
    }
}
