using System.Xml.Linq;

namespace LazyAf.Runner.TestReports;

/// <summary>Visual Studio / <c>dotnet test</c> results (<c>*.trx</c>, root <c>TestRun</c>): one <c>UnitTestResult</c> per test.</summary>
internal static class TrxReport
{
    private static readonly XNamespace Ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    public static bool IsRoot(string localName) => localName == "TestRun";

    public static void Read(XDocument report, string path, TestTally tally)
    {
        foreach (var result in report.Descendants(Ns + "UnitTestResult"))
        {
            switch (result.Attribute("outcome")?.Value)
            {
                case "Passed" or "PassedButRunAborted" or "Completed" or "Warning":
                    tally.Passed();
                    break;
                case "Failed" or "Error" or "Timeout" or "Aborted":
                    var output = result.Element(Ns + "Output");
                    var error = output?.Element(Ns + "ErrorInfo");
                    tally.Failed(result.Attribute("testName")?.Value ?? "(unnamed)", error?.Element(Ns + "Message")?.Value, path,
                        error?.Element(Ns + "StackTrace")?.Value, output?.Element(Ns + "StdOut")?.Value, output?.Element(Ns + "StdErr")?.Value);
                    break;
                default: // NotExecuted, Inconclusive, Pending, …
                    tally.Skipped();
                    break;
            }
        }
    }
}
