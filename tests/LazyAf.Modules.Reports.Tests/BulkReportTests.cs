using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Reports.Tests;

/// <summary>A step whose report holds 100,000 cases: every one reaches the test history, and the run ends as usual.</summary>
public sealed class BulkReportTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    // awk writes the report fast; every 1000th case fails.
    private const string Pipeline = """
        name: bulk
        steps:
          - id: test
            config:
              command: |
                mkdir -p out
                seq 0 99999 | awk 'BEGIN { print "<testsuite name=\"bulk\">" }
                  { if ($1 % 1000 == 999) printf "<testcase classname=\"Bulk\" name=\"case_%d\" time=\"0.002\"><failure message=\"case %d failed\"/></testcase>\n", $1, $1;
                    else printf "<testcase classname=\"Bulk\" name=\"case_%d\" time=\"0.001\"/>\n", $1 }
                  END { print "</testsuite>" }' > out/junit.xml
        """;

    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_report_of_100000_cases_is_recorded_whole_and_the_history_answers_quickly()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "bulk-report");
        await PipelineRuns.CommitPipelineAsync(repo, "bulk", Pipeline);

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "bulk"), timeoutSeconds: 180);

        Assert.Equal("failed", run.Str("state"));
        var tests = PipelineRuns.Step(run, "test").GetProperty("tests");
        Assert.Equal((100_000, 100), (tests.GetProperty("total").GetInt32(), tests.GetProperty("failed").GetInt32()));
        var watch = Stopwatch.StartNew();
        var page = await (await Api.GetAsync($"/api/repos/{repo.Id}/tests?limit=1000&offset=99000")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1000, page.GetArrayLength());
        var failing = await (await Api.GetAsync($"/api/repos/{repo.Id}/tests?limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.All(failing.EnumerateArray(), t => Assert.Equal("failed", t.Str("last_outcome")));
        var one = await (await Api.GetAsync($"/api/repos/{repo.Id}/tests/Bulk.case_1999")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("case 1999 failed", one.GetProperty("results")[0].Str("message"));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"the history took {watch.Elapsed}");
    }

    [Fact]
    public async Task While_a_report_of_100000_cases_is_recorded_another_write_waits_far_less_than_the_whole_ingest()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "bulk-lock");
        await PipelineRuns.CommitPipelineAsync(repo, "bulk", Pipeline);
        var runId = await _runs.RunAsync(repo.Id, "bulk");

        // One small write after another (quarantining a test, a row of the Reports module) from the run's start to its end:
        // some of them are made while the cases are recorded.
        var slowest = TimeSpan.Zero;
        var writes = 0;
        var running = Stopwatch.StartNew();
        while ((await _runs.RunStateAsync(runId)).Str("state") is not ("passed" or "failed" or "cancelled"))
        {
            Assert.True(running.Elapsed < TimeSpan.FromSeconds(180), $"the run did not end in {running.Elapsed}");
            var watch = Stopwatch.StartNew();
            using var response = await Api.PutAsJsonAsync($"/api/repos/{repo.Id}/quarantine/Other.write_{writes++}", new { reason = "a write beside the ingest" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            slowest = TimeSpan.FromTicks(Math.Max(slowest.Ticks, watch.Elapsed.Ticks));
        }

        var run = await _runs.SettledAsync(runId, timeoutSeconds: 180);
        Assert.Equal(100_000, PipelineRuns.Step(run, "test").GetProperty("tests").GetProperty("total").GetInt32());
        // Recorded whole in one transaction, the cases held the lock 3 to 12 s; in batches, a write waits for one batch or
        // the run's last transaction (its totals), some 100 to 900 ms on 2 busy cores.
        Assert.True(slowest < TimeSpan.FromSeconds(1.5), $"a write waited {slowest} while the cases were recorded ({writes} writes)");
    }
}
