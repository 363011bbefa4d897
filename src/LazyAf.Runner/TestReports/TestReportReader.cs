using System.Xml;

namespace LazyAf.Runner.TestReports;

/// <summary>What a step's reports held: the summary (null when none was a test report) and what could not be read, to say in the log.</summary>
/// <param name="Tests">The summary of every report read.</param>
/// <param name="Problems">One line per report that broke off (malformed XML): which, where and what was kept.</param>
internal sealed record TestReportRead(TestSummary? Tests, IReadOnlyList<string> Problems);

/// <summary>Reads the test reports a step wrote (JUnit XML, TRX) into one <see cref="TestSummary"/>, streaming each file.</summary>
internal static class TestReportReader
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreWhitespace = true };

    /// <summary>The summary of all reports among <paramref name="files"/>, with a line for each report that is malformed part way.</summary>
    public static TestReportRead Read(string workspace, IEnumerable<string> files)
    {
        var tally = new TestTally();
        var problems = new List<string>();
        var found = false;
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(workspace, file);
            var before = tally.Counted;
            var isReport = false;
            try
            {
                // Only the root element decides, so a large XML file that is not a report costs one read of its start.
                using var stream = File.OpenRead(file);
                using var reader = XmlReader.Create(stream, Settings);
                reader.MoveToContent();
                Action<XmlReader, string, TestTally>? read =
                    JUnitReport.IsRoot(reader.LocalName) && file.EndsWith(".xml", StringComparison.Ordinal) ? JUnitReport.Read
                    : TrxReport.IsRoot(reader.LocalName) && file.EndsWith(".trx", StringComparison.Ordinal) ? TrxReport.Read
                    : null;
                if (read is null)
                    continue;
                isReport = true;
                read(reader, relative, tally);
                found = true;
            }
            catch (XmlException e) when (isReport)
            {
                // A report that breaks off (a crashed test run, a truncated file) keeps the cases before the break.
                found |= tally.Counted > before;
                problems.Add($"test report {relative} is malformed at line {e.LineNumber}, position {e.LinePosition} ({e.Message}); kept the {tally.Counted - before} test cases before it");
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
            {
                // Not XML, half-written or unreadable: not a report we can count.
            }
        }
        return new TestReportRead(found ? tally.ToSummary() : null, problems);
    }
}
