using System.Globalization;
using System.Text;
using System.Xml;

namespace LazyAf.Runner.TestReports;

/// <summary>
/// JUnit XML (root <c>testsuites</c> or <c>testsuite</c>), as written by JUnit, pytest, jest-junit, CTest, go-junit-report
/// and most others. Counts come from the test cases themselves: suites' count attributes are often missing or stale.
/// Read as a stream, node by node, failure text and output included (only their start and end are kept), so a report of
/// hundreds of megabytes, or one case with a gigantic output, never sits in memory.
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
        (string Message, string Details)? failure = null;
        string? stdout = null, stderr = null;
        if (!reader.IsEmptyElement)
        {
            var depth = reader.Depth;
            reader.Read();
            while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
            {
                if (reader.NodeType != XmlNodeType.Element || reader.Depth != depth + 1)
                {
                    reader.Read();
                    continue;
                }
                switch (reader.LocalName)
                {
                    case "failure" or "error":
                        var message = reader.GetAttribute("message");
                        var (head, tail) = Text(reader);
                        failure ??= (message is { Length: > 0 } ? message : head, tail);
                        break;
                    case "system-out":
                        stdout = Text(reader).Tail;
                        break;
                    case "system-err":
                        stderr = Text(reader).Tail;
                        break;
                    default:
                        skipped |= reader.LocalName == "skipped";
                        reader.Skip();
                        break;
                }
            }
        }
        // Counted before reading on, so a report that breaks off right after a case keeps it.
        if (failure is (var failed, var details))
            tally.Failed(suite, name, duration, failed, path, details, stdout, stderr);
        else if (skipped)
            tally.Skipped(suite, name);
        else
            tally.Passed(suite, name, duration);
        reader.Read();
    }

    /// <summary>The start and the end of an element's text (as much as a message and an output keep); the rest is read past, not kept.</summary>
    private static (string Head, string Tail) Text(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return ("", "");
        }
        var depth = reader.Depth;
        var head = new StringBuilder();
        var tail = new StringBuilder();
        var buffer = new char[ChunkChars];
        reader.Read();
        while (!reader.EOF && !(reader.NodeType == XmlNodeType.EndElement && reader.Depth == depth))
        {
            if (reader.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.SignificantWhitespace)
            {
                int read;
                while ((read = reader.ReadValueChunk(buffer, 0, buffer.Length)) > 0)
                {
                    if (head.Length <= TestTally.MaxMessageLength)
                        head.Append(buffer, 0, Math.Min(read, TestTally.MaxMessageLength + 1 - head.Length));
                    tail.Append(buffer, 0, read);
                    if (tail.Length > 2 * TestTally.MaxOutputLength)
                        tail.Remove(0, tail.Length - TestTally.MaxOutputLength - 1);
                }
            }
            reader.Read();
        }
        reader.Read();
        if (tail.Length > TestTally.MaxOutputLength + 1)
            tail.Remove(0, tail.Length - TestTally.MaxOutputLength - 1);
        return (head.ToString(), tail.ToString());
    }

    private static long Milliseconds(string? seconds) =>
        double.TryParse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is > 0 and < 1e9 ? (long)Math.Round(value * 1000) : 0;
}
