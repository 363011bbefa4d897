using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace LazyAf.Runner.TestReports;

/// <summary>Visual Studio / <c>dotnet test</c> results (<c>*.trx</c>, root <c>TestRun</c>): one <c>UnitTestResult</c> per test, read as a stream.</summary>
internal static class TrxReport
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static bool IsRoot(string localName) => localName == "TestRun";

    public static void Read(XmlReader reader, string path, TestTally tally)
    {
        while (!reader.EOF)
        {
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "UnitTestResult")
                Result((XElement)XNode.ReadFrom(reader), path, tally);
            else
                reader.Read();
        }
    }

    private static void Result(XElement result, string path, TestTally tally)
    {
        var name = result.Attribute("testName")?.Value ?? "(unnamed)";
        var duration = TimeSpan.TryParse(result.Attribute("duration")?.Value, CultureInfo.InvariantCulture, out var taken) ? (long)taken.TotalMilliseconds : 0;
        switch (result.Attribute("outcome")?.Value)
        {
            case "Passed" or "PassedButRunAborted" or "Completed" or "Warning":
                tally.Passed("", name, duration);
                break;
            case "Failed" or "Error" or "Timeout" or "Aborted":
                var output = result.Element(Ns + "Output");
                var error = output?.Element(Ns + "ErrorInfo");
                tally.Failed("", name, duration, error?.Element(Ns + "Message")?.Value, path,
                    error?.Element(Ns + "StackTrace")?.Value, output?.Element(Ns + "StdOut")?.Value, output?.Element(Ns + "StdErr")?.Value);
                break;
            default: // NotExecuted, Inconclusive, Pending, …
                tally.Skipped("", name);
                break;
        }
    }
}
