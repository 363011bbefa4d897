using System.Net;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Reports.Tests;

/// <summary>
/// A step's cases are staged in short transactions before the one that ends it: staged cases count nowhere until the run
/// is recorded, staging again (a host that stopped before the end, a runner that sent the result again) keeps each case
/// once, and a run recorded already takes nothing more.
/// </summary>
public sealed class StagedTestHistoryTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private IStepTestHistory History => fixture.Host.Services.GetRequiredService<IStepTestHistory>();

    [Fact]
    public async Task Staged_cases_count_only_once_recorded_and_staging_or_recording_again_keeps_each_once()
    {
        var repo = await fixture.Host.CreateRepoAsync("staged-history");
        TestCaseResult[] cases =
        [
            new("calc", "calc.adds", TestCaseOutcome.Passed, 3, ""),
            new("calc", "calc.divides", TestCaseOutcome.Failed, 5, "expected 2, got 3"),
            new("calc", "calc.overflows", TestCaseOutcome.Skipped, 0, ""),
        ];
        var first = new StepTestRun("staged-execution", repo, "main", new string('a', 40), "ci", "test", DateTimeOffset.UtcNow.AddMinutes(-1), cases);

        await History.StageAsync(first, CancellationToken.None);

        Assert.Empty((await TestsAsync(repo)).EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Host.Client.GetAsync($"/api/repos/{repo}/tests/calc.adds")).StatusCode);

        // The host stopped before the end was recorded; the result comes again, a minute later.
        var again = first with { FinishedAt = DateTimeOffset.UtcNow };
        await History.StageAsync(again, CancellationToken.None);
        await RecordAsync(again);
        await History.StageAsync(again, CancellationToken.None);
        await RecordAsync(again);

        var tests = (await TestsAsync(repo)).EnumerateArray().ToArray();
        Assert.Equal(
            [("calc.adds", 1L), ("calc.divides", 1L), ("calc.overflows", 1L)],
            tests.Select(t => (t.Str("name"), t.GetProperty("runs").GetInt64())).OrderBy(t => t.Item1, StringComparer.Ordinal));
        var divides = await (await fixture.Host.Client.GetAsync($"/api/repos/{repo}/tests/calc.divides")).JsonAsync(HttpStatusCode.OK);
        var result = Assert.Single(divides.GetProperty("results").EnumerateArray());
        Assert.Equal(("failed", "expected 2, got 3", "staged-execution"), (result.Str("outcome"), result.Str("message"), result.Str("execution_id")));
    }

    private async Task RecordAsync(StepTestRun run)
    {
        await using var tx = await fixture.Host.Services.GetRequiredService<IDatabase>().BeginWriteAsync(CancellationToken.None);
        await History.RecordAsync(tx, run, CancellationToken.None);
        await tx.CommitAsync(CancellationToken.None);
    }

    private async Task<System.Text.Json.JsonElement> TestsAsync(string repo) =>
        await (await fixture.Host.Client.GetAsync($"/api/repos/{repo}/tests")).JsonAsync(HttpStatusCode.OK);
}
