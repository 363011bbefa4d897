using System.Diagnostics;

namespace CardsLoad;

/// <summary>
/// One concurrency level of <c>GET /api/repos/{id}/cards</c> pages (or of the static reference): latencies, throughput,
/// the host's CPU and its resident set at the end.
/// </summary>
internal sealed record ListResult(string What, int Concurrency, Stats Latency, TimeSpan Elapsed, double? HostCpuMs, long BodyBytes, double? HostRssMiB)
{
    public double RequestsPerSecond => Latency.Count / Elapsed.TotalSeconds;
}

/// <summary>
/// Lists pages of the repos' cards many times: request i asks for page i mod N of all the repos' pages, by
/// <c>Concurrency</c> workers at once, each timed from sending to the last byte of the body. The reference is a static
/// file of the first page's bytes, served by the same host's static-file middleware (the board's folder).
/// </summary>
internal static class ListBenchmark
{
    /// <summary>
    /// Follows every repo's pages and checks they hold all its cards; writes the first page's body as the static
    /// reference when there is a board folder; then warms the paths up (JIT, pools). Returns every page's address.
    /// </summary>
    public static async Task<IReadOnlyList<Uri>> PrepareAsync(HttpClient http, LazyAfApi api, HostUnderTest host, Board board, Options options)
    {
        var pages = new List<Uri>();
        for (var r = 0; r < board.RepoIds.Count; r++)
        {
            var repoPages = await api.PagesOfAsync(board.RepoIds[r]);
            var count = repoPages.Sum(p => p.Cards);
            if (count != board.CardIds[r].Count)
                throw new InvalidOperationException($"repo {board.RepoIds[r]} lists {count} cards over {repoPages.Count} pages, expected {board.CardIds[r].Count}");
            pages.AddRange(repoPages.Select(p => p.Page));
        }
        if (options.BoardDir is { } boardDir)
        {
            Directory.CreateDirectory(Path.Combine(boardDir, "reference"));
            await File.WriteAllBytesAsync(Path.Combine(boardDir, "reference", "page.json"), await http.GetByteArrayAsync(pages[0]));
            await MeasureAsync(http, host, "static reference", [StaticReference(api)], options.ListWarmup, 2);
        }
        await MeasureAsync(http, host, "pages", pages, options.ListWarmup, 2);
        return pages;
    }

    /// <summary>The static file of the first page's bytes, as the host's static-file middleware serves it.</summary>
    public static Uri StaticReference(LazyAfApi api) => new(api.BaseAddress, "reference/page.json");

    public static async Task<ListResult> MeasureAsync(HttpClient http, HostUnderTest host, string what, IReadOnlyList<Uri> uris, int requests, int concurrency)
    {
        var latencies = new double[requests];
        long bytes = 0;
        var cpuBefore = host.CpuMilliseconds();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(uris[i % uris.Count], ct);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            Interlocked.Add(ref bytes, response.Content.Headers.ContentLength ?? (await response.Content.ReadAsByteArrayAsync(ct)).Length);
        });
        var elapsed = clock.Elapsed;
        var cpu = host.CpuMilliseconds() - cpuBefore;
        return new ListResult(what, concurrency, new Stats(latencies), elapsed, cpu, bytes / requests, host.Memory()?.NowMiB);
    }
}
