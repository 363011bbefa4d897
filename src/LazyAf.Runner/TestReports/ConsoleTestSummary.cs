using System.Text.RegularExpressions;

namespace LazyAf.Runner.TestReports;

/// <summary>
/// Test counts read from the summary line common runners print (pytest, jest/vitest, dotnet test,
/// cargo test), for a step that wrote no report file. Only the last summary in the output counts;
/// failures have no names (the report formats carry those).
/// </summary>
internal static partial class ConsoleTestSummary
{
    // pytest: "==== 1 failed, 2 passed, 1 skipped in 0.12s ===="
    [GeneratedRegex(@"^=+ (?<counts>(?:\d+ (?:passed|failed|skipped|errors?|xfailed|xpassed|deselected|warnings?)(?:, )?)+) in [\d.]+s", RegexOptions.Multiline)]
    private static partial Regex Pytest();

    // jest / vitest: "Tests:       1 failed, 2 passed, 3 total" or "      Tests  1 failed | 2 passed (3)"
    [GeneratedRegex(@"^\s*Tests:?\s+(?<counts>(?:\d+ (?:passed|failed|skipped|todo|total)(?:, | \| )?)+)", RegexOptions.Multiline)]
    private static partial Regex Jest();

    // dotnet test: "Failed!  - Failed:     1, Passed:     2, Skipped:     0, Total:     3"
    [GeneratedRegex(@"(?:Passed|Failed)!\s+- Failed:\s+(?<failed>\d+), Passed:\s+(?<passed>\d+), Skipped:\s+(?<skipped>\d+), Total:\s+(?<total>\d+)")]
    private static partial Regex DotnetTest();

    // cargo test: "test result: FAILED. 2 passed; 1 failed; 0 ignored"
    [GeneratedRegex(@"test result: \w+\. (?<passed>\d+) passed; (?<failed>\d+) failed; (?<skipped>\d+) ignored")]
    private static partial Regex CargoTest();

    [GeneratedRegex(@"(?<n>\d+) (?<kind>[a-z]+)")]
    private static partial Regex Count();

    public static TestSummary? Parse(string output)
    {
        if (DotnetTest().Matches(output) is { Count: > 0 } dotnet)
            return Summary(dotnet[^1], int.Parse(dotnet[^1].Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture));
        if (CargoTest().Matches(output) is { Count: > 0 } cargo)
            return Summary(cargo[^1], null);
        if ((Pytest().Matches(output) is { Count: > 0 } pytest ? pytest[^1] : Jest().Matches(output) is { Count: > 0 } jest ? jest[^1] : null) is not { } line)
            return null;

        var counts = Count().Matches(line.Groups["counts"].Value).ToDictionary(m => m.Groups["kind"].Value.TrimEnd('s'), m => int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture));
        int Of(string kind) => counts.GetValueOrDefault(kind);
        var failed = Of("failed") + Of("error");
        var passed = Of("passed");
        var skipped = Of("skipped") + Of("todo");
        return new TestSummary(counts.TryGetValue("total", out var total) ? total : passed + failed + skipped, passed, failed, skipped, []);
    }

    private static TestSummary Summary(Match match, int? total)
    {
        int Of(string group) => int.Parse(match.Groups[group].Value, System.Globalization.CultureInfo.InvariantCulture);
        return new TestSummary(total ?? Of("passed") + Of("failed") + Of("skipped"), Of("passed"), Of("failed"), Of("skipped"), []);
    }
}
