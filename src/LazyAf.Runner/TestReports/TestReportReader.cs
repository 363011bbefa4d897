using System.Xml;
using System.Xml.Linq;

namespace LazyAf.Runner.TestReports;

/// <summary>Reads the test reports a step wrote (JUnit XML, TRX) into one <see cref="TestSummary"/>.</summary>
internal static class TestReportReader
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null };

    /// <summary>The summary of all reports among <paramref name="files"/>, or null when none is a test report.</summary>
    public static TestSummary? Read(string workspace, IEnumerable<string> files)
    {
        var tally = new TestTally();
        var found = false;
        foreach (var file in files)
        {
            var relative = Path.GetRelativePath(workspace, file);
            try
            {
                // Only the root element decides, so a large XML file that is not a report costs one read of its start.
                using var stream = File.OpenRead(file);
                using var reader = XmlReader.Create(stream, Settings);
                reader.MoveToContent();
                Action<XDocument, string, TestTally>? read =
                    JUnitReport.IsRoot(reader.LocalName) && file.EndsWith(".xml", StringComparison.Ordinal) ? JUnitReport.Read
                    : TrxReport.IsRoot(reader.LocalName) && file.EndsWith(".trx", StringComparison.Ordinal) ? TrxReport.Read
                    : null;
                if (read is null)
                    continue;
                read(XDocument.Load(reader), relative, tally);
                found = true;
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
            {
                // Not XML, half-written or unreadable: not a report we can count.
            }
        }
        return found ? tally.ToSummary() : null;
    }
}
