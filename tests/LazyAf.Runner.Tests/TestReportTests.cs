using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

public sealed class TestReportTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private const string JUnitWithOneFailure = """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuites>
          <testsuite name="calc" tests="3">
            <testcase classname="calc.AddTests" name="adds_positive"/>
            <testcase classname="calc.AddTests" name="adds_negative">
              <failure message="expected -1 but was 1">AssertionError at calc_test.py:12</failure>
              <system-out>adding -2 and 1</system-out>
              <system-err>warning: negative input</system-err>
            </testcase>
            <testcase classname="calc.AddTests" name="adds_later"><skipped/></testcase>
          </testsuite>
        </testsuites>
        """;

    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="run" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testName="Calc.Tests.Adds" outcome="Passed" />
            <UnitTestResult testName="Calc.Tests.Subtracts" outcome="Passed" />
            <UnitTestResult testName="Calc.Tests.Divides" outcome="Failed">
              <Output>
                <StdOut>dividing 1 by 0</StdOut>
                <ErrorInfo><Message>Attempted to divide by zero.</Message><StackTrace>at Calc.Divide() in Calc.cs:line 9</StackTrace></ErrorInfo>
              </Output>
            </UnitTestResult>
            <UnitTestResult testName="Calc.Tests.Later" outcome="NotExecuted" />
          </Results>
        </TestRun>
        """;

    [Fact]
    public async Task A_junit_report_with_a_failure_fails_the_run_although_the_step_exited_zero()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);

        var result = await bed.RunAsync(bed.Script(WriteFile("build/test-results/junit.xml", JUnitWithOneFailure)));

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("1 of 3 tests failed", result.Error);
        Assert.Equal((3, 1, 1, 1), (result.Tests!.Total, result.Tests.Passed, result.Tests.Failed, result.Tests.Skipped));
        var failure = Assert.Single(result.Tests.Failures);
        Assert.Equal(new TestFailure("calc.AddTests.adds_negative", "expected -1 but was 1", "build/test-results/junit.xml")
        {
            Output = "AssertionError at calc_test.py:12\nadding -2 and 1\nwarning: negative input",
        }, failure);
        Assert.Equal(result.CommitSha, await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task A_trx_report_is_counted_with_its_failure_message()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);

        var result = await bed.RunAsync(bed.Script(WriteFile("TestResults/run.trx", Trx)));

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal((4, 2, 1, 1), (result.Tests!.Total, result.Tests.Passed, result.Tests.Failed, result.Tests.Skipped));
        Assert.Equal(new TestFailure("Calc.Tests.Divides", "Attempted to divide by zero.", "TestResults/run.trx")
        {
            Output = "at Calc.Divide() in Calc.cs:line 9\ndividing 1 by 0",
        }, Assert.Single(result.Tests.Failures));
    }

    [Fact]
    public async Task Passing_reports_succeed_and_reports_the_step_did_not_write_are_ignored()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        // A committed fixture (or an earlier run's report) must not pass for this run's results.
        await bed.Repo.CommitAsync("fixtures/old-junit.xml", JUnitWithOneFailure, "Add a parser fixture");
        await bed.Repo.PushAsync("main");
        const string passing = "<testsuite><testcase name=\"a\"/><testcase name=\"b\"/></testsuite>";

        var result = await bed.RunAsync(bed.Script(WriteFile("node_modules/x/junit.xml", JUnitWithOneFailure) + WriteFile("out/junit.xml", passing)));

        Assert.True(result.Outcome == StepOutcome.Succeeded, result.Error);
        Assert.Equal((2, 2, 0), (result.Tests!.Total, result.Tests.Passed, result.Tests.Failed));
    }

    private static string WriteFile(string path, string content) =>
        $"mkdir -p {Path.GetDirectoryName(path)} && cat > {path} <<'REPORT'\n{content}\nREPORT\n";
}
