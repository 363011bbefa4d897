// Cards and live-events load: seeds repos x cards, times GET /api/repos/{id}/cards, then measures the
// fan-out of card.updated events to many /ws subscribers. Prints a Markdown report; exits 1 when an
// event was lost, duplicated or out of order. See bench/README.md.
using CardsLoad;

var options = Options.Parse(args);
using var handler = new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
using var http = new HttpClient(handler) { Timeout = TimeSpan.FromMinutes(2) };
if (options.Token is { } token)
    http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
await using var host = await HostUnderTest.OpenAsync(options, http);
var api = new LazyAfApi(http, host.BaseAddress);
var report = new Report(options, host);
report.Snapshot("startup");

Log($"seeding {options.Repos} repos x {options.CardsPerRepo} cards, {options.SeedConcurrency} at a time");
var seed = await Seeder.SeedAsync(api, options);
report.Snapshot("seeding");

Log($"listing cards: {options.ListRequests} requests at concurrency {string.Join(", ", options.ListConcurrency)}");
var pages = await ListBenchmark.PrepareAsync(http, api, host, seed.Board, options);
report.Snapshot("list warm-up");
var lists = new List<ListResult>();
foreach (var concurrency in options.ListConcurrency)
{
    // The reference first, in the same run: the same bytes from the same server as a static file.
    if (options.BoardDir is not null)
        lists.Add(await ListBenchmark.MeasureAsync(http, host, "static reference", [ListBenchmark.StaticReference(api)], options.ListRequests, concurrency));
    lists.Add(await ListBenchmark.MeasureAsync(http, host, "pages", pages, options.ListRequests, concurrency));
    report.Snapshot($"lists at concurrency {concurrency}");
}

var board = seed.Board;
var variants = new List<FanOutVariant>
{
    new("topic", $"repo:{board.RepoIds[0]}", i => board.CardIds[0][i % board.CardIds[0].Count],
        board.RepoIds.Count > 1 ? i => board.CardIds[1 + i / 10 % (board.RepoIds.Count - 1)][i / 10 % options.CardsPerRepo] : null),
    new("all", null, i => board.CardIds[i % board.RepoIds.Count][i / board.RepoIds.Count % options.CardsPerRepo], null),
};
var fanOuts = new List<FanOutResult>();
foreach (var variant in variants)
{
    Log($"fan-out '{variant.Name}': {options.Subscribers} subscribers, {options.Updates} renames, {options.PatchConcurrency} at a time");
    fanOuts.Add(await FanOutBenchmark.RunAsync(api, host, variant, options));
    report.Snapshot($"fan-out '{variant.Name}'");
}

Console.Write(report.Markdown(seed, lists, fanOuts));
var failed = fanOuts.Where(f => !f.Costs.Drained || f.Missing + f.Duplicates + f.OutOfOrder + f.Decoys > 0 || f.EndedEarly.Count > 0).ToList();
foreach (var f in failed)
    await Console.Error.WriteLineAsync($"fan-out '{f.Variant.Name}' lost, repeated or misordered events (see the report)");
return failed.Count == 0 ? 0 : 1;

static void Log(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
