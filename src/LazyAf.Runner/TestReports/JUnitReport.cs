using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace LazyAf.Runner.TestReports;

/// <summary>
/// JUnit XML (root <c>testsuites</c> or <c>testsuite</c>), as written by JUnit, pytest, jest-junit, CTest, go-junit-report
/// and most others. Counts come from the test cases themselves: suites' count attributes are often missing or stale.
/// Read as a stream, one test case at a time, so a report of hundreds of megabytes never sits in memory whole.
/// </summary>
internal static class JUnitReport
{
    public static bool IsRoot(string localName) => localName is "testsuites" or "testsuite";

    public static void Read(XmlReader reader, string path, TestTally tally)
    {
        var suites = new Stack<(int Depth, string Name)>();
        while (!reader.EOF)
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                reader.Read();
                continue;
            }
            while (suites.TryPeek(out var open) && open.Depth >= reader.Depth)
                suites.Pop();
            if (reader.LocalName == "testsuite")
            {
                suites.Push((reader.Depth, reader.GetAttribute("name") ?? ""));
                reader.Read();
            }
            else if (reader.LocalName == "testcase")
                Case((XElement)XNode.ReadFrom(reader), suites.TryPeek(out var suite) ? suite.Name : "", path, tally);
            else
                reader.Read();
        }
    }

    private static void Case(XElement testCase, string suite, string path, TestTally tally)
    {
        var name = Name(testCase);
        var duration = Milliseconds(testCase.Attribute("time")?.Value);
        var failure = Child(testCase, "failure") ?? Child(testCase, "error");
        if (failure is not null)
            tally.Failed(suite, name, duration, failure.Attribute("message")?.Value is { Length: > 0 } message ? message : failure.Value, path);
        else if (Child(testCase, "skipped") is not null || testCase.Attribute("status")?.Value is "notrun" or "disabled")
            tally.Skipped(suite, name);
        else
            tally.Passed(suite, name, duration);
    }

    private static long Milliseconds(string? seconds) =>
        double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and < 1e9 ? (long)Math.Round(value * 1000) : 0;

    private static XElement? Child(XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string Name(XElement testCase)
    {
        var name = testCase.Attribute("name")?.Value ?? "(unnamed)";
        return testCase.Attribute("classname")?.Value is { Length: > 0 } className ? $"{className}.{name}" : name;
    }
}
