using System.CommandLine;
using System.Globalization;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf tests REPO [--flaky]</c>: a repo's tests over their history, most failures first.</summary>
internal static class TestsCommand
{
    private const int Limit = 200;

    public static Command Create(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var flakyOption = new Option<bool>("--flaky") { Description = "Only the tests that are flaky now (passed and failed on one commit, or flipping)" };
        var json = JsonOutput.CreateOption();
        var command = new Command("tests", "List a repo's tests: runs, pass rate, last failure, median time, flaky, quarantined") { repoArgument, flakyOption, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var flaky = parse.GetValue(flakyOption);
            var tests = await api.ListTestsAsync(repo.Id, flaky, Limit, ct) ?? throw RepoArgument.NotFound(repo.Name);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, tests, ReportsJson.Default.ListTestSummaryRow);
                return 0;
            }
            if (tests.Count == 0)
            {
                await context.Output.WriteLineAsync(flaky ? $"{repo.Name} has no flaky tests" : $"{repo.Name} has no recorded tests yet; a step that writes JUnit or TRX reports records them");
                return 0;
            }
            var table = new TextTable("TEST", "RUNS", "PASS RATE", "LAST", "MEDIAN", "TREND", "FLAKY", "QUARANTINED");
            foreach (var test in tests)
            {
                table.Add(test.Name, test.Runs.ToString(CultureInfo.InvariantCulture),
                    test.PassRate is { } rate ? rate.ToString("0.0%", CultureInfo.InvariantCulture) : "-", test.LastOutcome ?? "-",
                    test.MedianDurationMs is { } ms ? $"{ms} ms" : "-", test.Trend, test.Flaky ? "yes" : "",
                    test.Quarantine is { } q ? $"by {q.By}" : "");
            }
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
