using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

// The test history under load, on the real host (real SQLite, real HTTP on loopback): a run of 100,000 cases recorded
// through the contract Execution records every finished step with, then the history API over a repo with 1,000 runs.
// Each figure has a reference measured in the same run: plain inserts of as many rows, and GET /api/repos/{id}.
var options = Options.Parse(args);
var inv = CultureInfo.InvariantCulture;
var report = new StringBuilder();
void Line(string text)
{
    Console.WriteLine(text);
    report.AppendLine(text);
}

await using var host = LazyAfHost.Start();
var history = host.Services.GetRequiredService<IStepTestHistory>();
var database = host.Services.GetRequiredService<IDatabase>();
var clock = DateTimeOffset.UtcNow.AddDays(-1);

Line($"# Reports load, {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
Line("");
Line($"Machine: {Environment.ProcessorCount} cores, {File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':')[1].Trim() ?? "?"}; load average before: {File.ReadAllText("/proc/loadavg").Trim()}");
Line("");

// Ingest: one run of N cases, judged, staged and recorded as ExecutionRecorder does it, each run on a fresh commit. Beside
// it another writer inserts a row at a time into a table of its own: its slowest insert is what a writer waits for.
var bulkRepo = await host.CreateRepoAsync("bulk");
var ingest = new List<double>();
var holds = new List<double>();
var waits = new List<double>();
await using (var probe = await database.BeginWriteAsync(CancellationToken.None))
{
    await probe.Connection.ExecuteAsync("CREATE TABLE IF NOT EXISTS bench_probe (at TEXT)", transaction: probe.Transaction);
    await probe.CommitAsync(CancellationToken.None);
}
for (var run = 0; run < options.IngestRuns; run++)
{
    var cases = Enumerable.Range(0, options.Cases).Select(i => new TestCaseResult("bulk", $"Bulk.case_{i}",
        (i + run) % 1000 == 0 ? TestCaseOutcome.Failed : TestCaseOutcome.Passed, 1 + (i % 7), (i + run) % 1000 == 0 ? $"case {i} failed" : "")).ToList();
    var testRun = new StepTestRun($"ingest-{run}", bulkRepo, "main", $"{run:x40}", "bench", "test", clock = clock.AddSeconds(1), cases);
    using var ingesting = new CancellationTokenSource();
    var writer = ProbeAsync(ingesting.Token);
    ingest.Add(await TimedAsync(async () =>
    {
        await history.JudgeAsync(testRun, CancellationToken.None);
        await history.StageAsync(testRun, CancellationToken.None);
        holds.Add(await TimedAsync(async () =>
        {
            await using var tx = await database.BeginWriteAsync(CancellationToken.None);
            await history.RecordAsync(tx, testRun, CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }));
    }));
    await ingesting.CancelAsync();
    waits.Add(await writer);
}
var reference = await TimedAsync(async () =>
{
    await using var tx = await database.BeginWriteAsync(CancellationToken.None);
    await tx.Connection.ExecuteAsync("CREATE TEMP TABLE bench_rows (a INTEGER, b TEXT, c TEXT, d INTEGER)", transaction: tx.Transaction);
    await tx.Connection.ExecuteAsync("INSERT INTO bench_rows VALUES (@A, @B, @C, @D)",
        Enumerable.Range(0, options.Cases).Select(i => new { A = i, B = $"Bulk.case_{i}", C = "passed", D = i % 7 }), tx.Transaction);
    await tx.CommitAsync(CancellationToken.None);
});
Line($"## Ingest of {options.Cases:N0} cases per run ({options.IngestRuns} runs)");
Line("");
Line("| what | ms |");
Line("|---|---|");
Line($"| first run (every test new) | {ingest[0]:0} |");
Line($"| later runs, median (tests known, totals updated) | {Median(ingest.Skip(1)):0} |");
Line($"| the transaction that records the run (the longest hold of the write lock), median / max | {Median(holds):0} / {holds.Max():0} |");
Line($"| another writer's slowest insert during an ingest, median / max over the runs | {Median(waits):0} / {waits.Max():0} |");
Line($"| reference: {options.Cases:N0} plain INSERTs of 4 columns in one transaction | {reference:0} |");
Line($"| ratio, later runs / reference | {Median(ingest.Skip(1)) / reference:0.0} |");
Line("");

// History: a repo with N runs of T tests; one test in fifty flips every few runs, so flaky ones exist.
var historyRepo = await host.CreateRepoAsync("history");
var seeding = Stopwatch.StartNew();
for (var run = 0; run < options.HistoryRuns; run++)
{
    var cases = Enumerable.Range(0, options.HistoryTests).Select(i => new TestCaseResult("suite", $"Suite.test_{i}",
        i % 50 == 0 && run % (3 + i % 5) == 0 ? TestCaseOutcome.Failed : TestCaseOutcome.Passed, 5 + (run + i) % 40, "")).ToList();
    var testRun = new StepTestRun($"history-{run}", historyRepo, "main", $"{run / 3:x40}", "bench", "test", clock = clock.AddSeconds(1), cases);
    await history.JudgeAsync(testRun, CancellationToken.None);
    await history.StageAsync(testRun, CancellationToken.None);
    await using var tx = await database.BeginWriteAsync(CancellationToken.None);
    await history.RecordAsync(tx, testRun, CancellationToken.None);
    await tx.CommitAsync(CancellationToken.None);
}
seeding.Stop();

var api = host.Client;
async Task<Stats> LatencyAsync(string url)
{
    for (var i = 0; i < 20; i++)
        (await api.GetAsync(url)).EnsureSuccessStatusCode();
    var samples = new List<double>();
    for (var i = 0; i < options.Requests; i++)
    {
        samples.Add(await TimedAsync(async () =>
        {
            using var response = await api.GetAsync(url);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        }));
    }
    return new Stats(samples);
}

Line($"## History at {options.HistoryRuns:N0} runs of {options.HistoryTests:N0} tests ({options.HistoryRuns * options.HistoryTests:N0} results, seeded in {seeding.Elapsed.TotalSeconds:0} s)");
Line("");
Line($"{options.Requests} requests each, one at a time, after 20 warm-up requests; ms.");
Line("");
Line("| request | p50 | p95 | p99 | max |");
Line("|---|---|---|---|---|");
var rows = new (string Name, string Url)[]
{
    ("`GET /api/repos/{id}/tests` (first 100: most failures first)", $"/api/repos/{historyRepo}/tests?limit=100"),
    ("`GET /api/repos/{id}/tests?flaky=true`", $"/api/repos/{historyRepo}/tests?flaky=true"),
    ($"`GET /api/repos/{{id}}/tests/{{test}}` (100 newest of {options.HistoryRuns:N0} results)", $"/api/repos/{historyRepo}/tests/Suite.test_50"),
    ($"`GET /api/repos/{{id}}/tests` on the repo of {options.Cases:N0} tests", $"/api/repos/{bulkRepo}/tests?limit=100"),
    ("reference: `GET /api/repos/{id}`", $"/api/repos/{historyRepo}"),
};
var worst = 0.0;
foreach (var (name, url) in rows)
{
    var stats = await LatencyAsync(url);
    if (!name.StartsWith("reference", StringComparison.Ordinal))
        worst = Math.Max(worst, stats.P(99));
    Line($"| {name} | {stats.P(50).ToString("0.0", inv)} | {stats.P(95).ToString("0.0", inv)} | {stats.P(99).ToString("0.0", inv)} | {stats.Max.ToString("0.0", inv)} |");
}
Line("");
Line($"Worst history p99: {worst.ToString("0.0", inv)} ms (goal: under 100 ms) — {(worst < 100 ? "met" : "NOT met")}. Load average after: {File.ReadAllText("/proc/loadavg").Trim()}");

var output = Path.Combine(options.Out, "report.md");
Directory.CreateDirectory(options.Out);
await File.WriteAllTextAsync(output, report.ToString());
return worst < 100 ? 0 : 1;

// One insert after another until cancelled; the slowest, in ms.
async Task<double> ProbeAsync(CancellationToken stop)
{
    var slowest = 0.0;
    while (!stop.IsCancellationRequested)
    {
        slowest = Math.Max(slowest, await TimedAsync(async () =>
        {
            await using var tx = await database.BeginWriteAsync(CancellationToken.None);
            await tx.Connection.ExecuteAsync("INSERT INTO bench_probe VALUES (datetime('now'))", transaction: tx.Transaction);
            await tx.CommitAsync(CancellationToken.None);
        }));
        await Task.Delay(5, CancellationToken.None);
    }
    return slowest;
}

static async Task<double> TimedAsync(Func<Task> action)
{
    var watch = Stopwatch.StartNew();
    await action();
    return watch.Elapsed.TotalMilliseconds;
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted.Length == 0 ? double.NaN : sorted[sorted.Length / 2];
}

/// <summary>Percentiles (nearest rank) of samples in milliseconds.</summary>
internal sealed class Stats(IEnumerable<double> samples)
{
    private readonly double[] _sorted = [.. samples.Order()];

    public double Max => _sorted[^1];

    public double P(double percent) => _sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * _sorted.Length) - 1, 0, _sorted.Length - 1)];
}

/// <summary>The knobs, as <c>--name value</c> arguments.</summary>
internal sealed record Options(int Cases, int IngestRuns, int HistoryRuns, int HistoryTests, int Requests, string Out)
{
    public static Options Parse(string[] args)
    {
        string Arg(string name, string fallback) => Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? args[i + 1] : fallback;
        int Number(string name, int fallback) => int.Parse(Arg(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new Options(Number("--cases", 100_000), Number("--ingest-runs", 3), Number("--history-runs", 1000), Number("--history-tests", 1000),
            Number("--requests", 500), Arg("--out", "bench/out/reports-load"));
    }
}
