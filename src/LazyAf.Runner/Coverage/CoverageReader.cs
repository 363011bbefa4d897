using System.Globalization;
using System.Xml;

namespace LazyAf.Runner.Coverage;

/// <summary>
/// Reads the coverage a step wrote: Cobertura XML (root <c>coverage</c>, as gcovr, coverlet, coverage.py and
/// istanbul write it) and lcov tracefiles (<c>lcov.info</c>, <c>*.lcov</c>), summed over all of them. Both are read as
/// streams; a file that is neither is passed over.
/// </summary>
internal static class CoverageReader
{
    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Ignore, XmlResolver = null, IgnoreWhitespace = true };

    /// <summary>The coverage of <paramref name="files"/>, or null when none of them is a coverage report.</summary>
    public static CoverageSummary? Read(IEnumerable<string> files)
    {
        var total = new Counts();
        var found = false;
        foreach (var file in files)
        {
            try
            {
                var counts = file.EndsWith(".xml", StringComparison.Ordinal) ? Cobertura(file)
                    : file.EndsWith(".info", StringComparison.Ordinal) || file.EndsWith(".lcov", StringComparison.Ordinal) ? Lcov(file)
                    : null;
                if (counts is null)
                    continue;
                total.Add(counts);
                found = true;
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException or FormatException or OverflowException)
            {
                // Half-written or not what its name says: no coverage from it.
            }
        }
        return found ? new CoverageSummary(total.LinesCovered, total.LinesValid, total.BranchesCovered, total.BranchesValid) : null;
    }

    /// <summary>Cobertura's root counts, else its <c>line</c> elements counted.</summary>
    private static Counts? Cobertura(string file)
    {
        using var stream = File.OpenRead(file);
        using var reader = XmlReader.Create(stream, Settings);
        reader.MoveToContent();
        if (reader.LocalName != "coverage")
            return null;
        if (Number(reader.GetAttribute("lines-valid")) is { } linesValid)
        {
            return new Counts
            {
                LinesCovered = Number(reader.GetAttribute("lines-covered")) ?? 0,
                LinesValid = linesValid,
                BranchesCovered = Number(reader.GetAttribute("branches-covered")) ?? 0,
                BranchesValid = Number(reader.GetAttribute("branches-valid")) ?? 0,
            };
        }
        var counts = new Counts();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element || reader.LocalName != "line")
                continue;
            counts.LinesValid++;
            counts.LinesCovered += Number(reader.GetAttribute("hits")) > 0 ? 1 : 0;
            // condition-coverage="50% (1/2)"
            if (reader.GetAttribute("condition-coverage") is { } condition && condition.IndexOf('(') is >= 0 and var open && condition.IndexOf('/', open) is > 0 and var slash)
            {
                counts.BranchesCovered += long.Parse(condition[(open + 1)..slash], CultureInfo.InvariantCulture);
                counts.BranchesValid += long.Parse(condition[(slash + 1)..condition.IndexOf(')', slash)], CultureInfo.InvariantCulture);
            }
        }
        return counts;
    }

    /// <summary>An lcov tracefile: each record's <c>LF/LH/BRF/BRH</c>, else its <c>DA</c> and <c>BRDA</c> lines counted.</summary>
    private static Counts? Lcov(string file)
    {
        var total = new Counts();
        var record = new Counts();
        var summed = new Counts();
        var isLcov = false;
        foreach (var line in File.ReadLines(file))
        {
            var colon = line.IndexOf(':');
            var key = colon < 0 ? line : line[..colon];
            var value = colon < 0 ? "" : line[(colon + 1)..];
            switch (key)
            {
                case "SF":
                    isLcov = true;
                    record = new Counts();
                    summed = new Counts();
                    break;
                case "DA":
                    record.LinesValid++;
                    record.LinesCovered += long.Parse(value.Split(',')[1], CultureInfo.InvariantCulture) > 0 ? 1 : 0;
                    break;
                case "BRDA":
                    record.BranchesValid++;
                    record.BranchesCovered += value.Split(',')[3] is not ("-" or "0") ? 1 : 0;
                    break;
                case "LF": summed.LinesValid = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "LH": summed.LinesCovered = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "BRF": summed.BranchesValid = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "BRH": summed.BranchesCovered = long.Parse(value, CultureInfo.InvariantCulture); break;
                case "end_of_record":
                    // The tool's own totals win over counting its lines (they agree; some tools write only totals).
                    total.Add(new Counts
                    {
                        LinesValid = summed.LinesValid > 0 ? summed.LinesValid : record.LinesValid,
                        LinesCovered = summed.LinesValid > 0 ? summed.LinesCovered : record.LinesCovered,
                        BranchesValid = summed.BranchesValid > 0 ? summed.BranchesValid : record.BranchesValid,
                        BranchesCovered = summed.BranchesValid > 0 ? summed.BranchesCovered : record.BranchesCovered,
                    });
                    break;
                default:
                    if (!isLcov && key is not ("TN" or ""))
                        return null;
                    break;
            }
        }
        return isLcov ? total : null;
    }

    private static long? Number(string? text) => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;

    private sealed class Counts
    {
        public long LinesCovered { get; set; }
        public long LinesValid { get; set; }
        public long BranchesCovered { get; set; }
        public long BranchesValid { get; set; }

        public void Add(Counts other)
        {
            LinesCovered += other.LinesCovered;
            LinesValid += other.LinesValid;
            BranchesCovered += other.BranchesCovered;
            BranchesValid += other.BranchesValid;
        }
    }
}
