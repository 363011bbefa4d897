using System.Diagnostics;
using System.Text;
using LazyAf.Runner.TestReports;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

/// <summary>Reports as they come in practice: truncated, enormous, or with a hundred thousand cases, each case kept for the test history.</summary>
public sealed class TestReportStreamingTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Every_case_is_kept_with_its_suite_duration_and_capped_message()
    {
        var report = Write("junit.xml", """
            <testsuites>
              <testsuite name="calc"><testcase classname="Add" name="one" time="0.25"/>
                <testcase classname="Add" name="two" time="1.5"><failure><![CDATA[expected 2
            but was 3]]></failure></testcase></testsuite>
              <testsuite name="ctest"><testcase name="mul" status="notrun"/><testcase name="big"><error message="">
            """ + new string('x', 10_000) + "</error></testcase></testsuite></testsuites>");

        var tests = TestReportReader.Read(_dir.Path, [report]).Tests!;

        Assert.Equal(
            [("calc", "Add.one", TestCaseOutcome.Passed, 250L), ("calc", "Add.two", TestCaseOutcome.Failed, 1500L), ("ctest", "mul", TestCaseOutcome.Skipped, 0L), ("ctest", "big", TestCaseOutcome.Failed, 0L)],
            tests.Cases.Select(c => (c.Suite, c.Name, c.Outcome, c.DurationMs)).ToArray());
        Assert.Equal("expected 2\nbut was 3", tests.Cases[1].Message);
        Assert.Equal(TestTally.MaxMessageLength + 1, tests.Cases[3].Message.Length);
        Assert.EndsWith("…", tests.Cases[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_that_breaks_off_keeps_the_cases_before_the_break_and_says_where()
    {
        var report = Write("out/junit.xml", "<testsuite name=\"s\"><testcase name=\"a\"/><testcase name=\"b\"><failure message=\"boom\"/></testcase><testcase name=\"c\"");
        var other = Write("other.xml", "<testsuite><testcase name=\"d\"/></testsuite>");

        var read = TestReportReader.Read(_dir.Path, [report, other]);

        Assert.Equal((3, 2, 1), (read.Tests!.Total, read.Tests.Passed, read.Tests.Failed));
        var problem = Assert.Single(read.Problems);
        Assert.StartsWith("test report out/junit.xml is malformed at line 1", problem, StringComparison.Ordinal);
        Assert.EndsWith("kept the 2 test cases before it", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hundred_thousand_cases_in_one_report_are_all_kept()
    {
        var report = Write("big.xml", Cases(100_000, failEvery: 1000));

        var tests = TestReportReader.Read(_dir.Path, [report]).Tests!;

        Assert.Equal((100_000, 99_900, 100), (tests.Total, tests.Passed, tests.Failed));
        Assert.Equal(100_000, tests.Cases.Count);
        Assert.Equal(0, tests.CasesLeftOut);
        Assert.Equal("Suite.case_99999", tests.Cases[^1].Name);
    }

    [Fact]
    public void A_200_MB_report_is_streamed_its_cases_capped_and_every_case_still_counted()
    {
        var path = Path.Combine(_dir.Path, "huge.xml");
        long cases;
        using (var writer = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            writer.Write("<testsuite name=\"huge\">");
            for (cases = 0; writer.BaseStream.Length < 200L * 1024 * 1024; cases++)
                writer.Write($"<testcase classname=\"Suite\" name=\"case_{cases}\" time=\"0.001\"><system-out>{new string('o', 40)}</system-out></testcase>\n");
            writer.Write("</testsuite>");
        }
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var watch = Stopwatch.StartNew();

        var tests = TestReportReader.Read(_dir.Path, [path]).Tests!;

        Assert.Equal(cases, tests.Total);
        Assert.Equal(TestTally.MaxCases, tests.Cases.Count);
        Assert.Equal(cases - TestTally.MaxCases, tests.CasesLeftOut);
        // The kept cases, not the file: far less than the 200 MB read.
        Assert.True(GC.GetTotalMemory(forceFullCollection: false) - before < 150L * 1024 * 1024, "the report was held in memory");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_malformed_report_is_named_in_the_step_log_and_the_step_still_ends()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        var result = await bed.RunAsync(bed.Script("mkdir -p out && printf '<testsuite><testcase name=\"a\"/><testcase' > out/junit.xml"), sink);

        Assert.True(result.Outcome == StepOutcome.Succeeded, result.Error);
        Assert.Equal(1, result.Tests!.Passed);
        Assert.Contains("test report out/junit.xml is malformed", sink.AllText, StringComparison.Ordinal);
    }

    private string Write(string relative, string content)
    {
        var path = Path.Combine(_dir.Path, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>A JUnit report of <paramref name="count"/> cases, every <paramref name="failEvery"/>-th failing.</summary>
    public static string Cases(int count, int failEvery)
    {
        var xml = new StringBuilder("<testsuites><testsuite name=\"bulk\">");
        for (var i = 0; i < count; i++)
            xml.Append(i % failEvery == failEvery - 1
                ? $"<testcase classname=\"Suite\" name=\"case_{i}\" time=\"0.002\"><failure message=\"case {i} failed\"/></testcase>"
                : $"<testcase classname=\"Suite\" name=\"case_{i}\" time=\"0.001\"/>");
        return xml.Append("</testsuite></testsuites>").ToString();
    }
}
