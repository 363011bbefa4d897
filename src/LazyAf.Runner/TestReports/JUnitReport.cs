using System.Xml.Linq;

namespace LazyAf.Runner.TestReports;

/// <summary>
/// JUnit XML (root <c>testsuites</c> or <c>testsuite</c>), as written by JUnit, pytest, jest-junit, go-junit-report
/// and most others. Counts come from the test cases themselves: suites' count attributes are often missing or stale.
/// </summary>
internal static class JUnitReport
{
    public static bool IsRoot(string localName) => localName is "testsuites" or "testsuite";

    public static void Read(XDocument report, string path, TestTally tally)
    {
        foreach (var testCase in report.Descendants().Where(e => e.Name.LocalName == "testcase"))
        {
            var failure = Child(testCase, "failure") ?? Child(testCase, "error");
            if (failure is not null)
                tally.Failed(Name(testCase), failure.Attribute("message")?.Value is { Length: > 0 } message ? message : failure.Value, path,
                    failure.Value, Child(testCase, "system-out")?.Value, Child(testCase, "system-err")?.Value);
            else if (Child(testCase, "skipped") is not null)
                tally.Skipped();
            else
                tally.Passed();
        }
    }

    private static XElement? Child(XElement element, string localName) =>
        element.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    private static string Name(XElement testCase)
    {
        var name = testCase.Attribute("name")?.Value ?? "(unnamed)";
        return testCase.Attribute("classname")?.Value is { Length: > 0 } className ? $"{className}.{name}" : name;
    }
}
