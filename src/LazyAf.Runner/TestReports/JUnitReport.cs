using System.Globalization;
using System.Text;
using System.Xml;

namespace LazyAf.Runner.TestReports;

/// <summary>
/// JUnit XML (root <c>testsuites</c> or <c>testsuite</c>), as written by JUnit, pytest, jest-junit, CTest, go-junit-report
/// and most others. Counts come from the test cases themselves: suites' count attributes are often missing or stale.
/// Read as a stream, node by node, failure text included, so a report of hundreds of megabytes (or one case with a
/// gigantic message) never sits in memory.
/// </summary>
internal static class JUnitReport
{
    private const int ChunkChars = 4096;

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
                suites.Push((reader.Depth, reader.GetAttribute("name") ?? ""));
            if (reader.LocalName == "testcase")
                Case(reader, suites.TryPeek(out var suite) ? suite.Name : "", path, tally);
            else
                reader.Read();
        }
    }

    /// <summary>Reads one <c>testcase</c> element, leaving the reader after it.</summary>
    private static void Case(XmlReader reader, string suite, string path, TestTally tally)
    {
        var name = reader.GetAttribute("name") ?? "(unnamed)";
        if (reader.GetAttribute("classname") is { Length: > 0 } className)
            name = $"{className}.{name}";
        var duration = Milliseconds(reader.GetAttribute("time"));
        var skipped = reader.GetAttribute("status") is "notrun" or "disabled";
        string? failure = null;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth + 1)
                    reader.Read();
                else if (reader.LocalName is "failure" or "error")
                    failure ??= Message(reader);
                else
                {
                    skipped |= reader.LocalName == "skipped";
                    reader.Skip();
                }
            }
        }
        // Counted before reading on, so a report that breaks off right after a case keeps it.
        if (failure is not null)
            tally.Failed(suite, name, duration, failure, path);
        else if (skipped)
            tally.Skipped(suite, name);
        else
            tally.Passed(suite, name, duration);
        reader.Read();
    }

    /// <summary>A failure's <c>message</c> attribute, else the start of its text; the rest of the text is read past, not kept.</summary>
    private static string Message(XmlReader reader)
    {
        var attribute = reader.GetAttribute("message");
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return attribute ?? "";
        }
        var depth = reader.Depth;
        var text = new StringBuilder();
        var buffer = new char[ChunkChars];
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
            {
                int read;
                while ((read = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
                {
                    if (text.Length < TestTally.MaxMessageLength + 1)
                        text.Append(buffer, 0, Math.Min(read, TestTally.MaxMessageLength + 1 - text.Length));
                }
            }
            reader.Read();
        }
        reader.Read();
        return attribute is { Length: > 0 } ? attribute : text.ToString();
    }

    private static long Milliseconds(string? seconds) =>
        double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and < 1e9 ? (long)Math.Round(value * 1000) : 0;
}
