using System.Diagnostics;

namespace CardsLoad;

/// <summary>One concurrency level of <c>GET /api/repos/{id}/cards</c>: latencies, throughput and the host's CPU.</summary>
internal sealed record ListResult(int Concurrency, Stats Latency, TimeSpan Elapsed, double? HostCpuMs, long BodyBytes)
{
    public double RequestsPerSecond => Latency.Count / Elapsed.TotalSeconds;
}

/// <summary>
/// Lists each repo's cards many times: request i asks for repo i mod N, by <c>Concurrency</c> workers
/// at once, each timed from sending to the last byte of the body.
/// </summary>
internal static class ListBenchmark
{
    /// <summary>Checks that every repo lists all its cards, then warms the path up (JIT, pools).</summary>
    public static async Task PrepareAsync(HttpClient http, LazyAfApi api, HostUnderTest host, Board board, Options options)
    {
        for (var r = 0; r < board.RepoIds.Count; r++)
        {
            var count = await api.CountCardsAsync(board.RepoIds[r]);
            if (count != board.CardIds[r].Count)
                throw new InvalidOperationException($"repo {board.RepoIds[r]} lists {count} cards, expected {board.CardIds[r].Count}");
        }
        await MeasureAsync(http, api, host, board, options.ListWarmup, 2);
    }

    public static async Task<ListResult> MeasureAsync(HttpClient http, LazyAfApi api, HostUnderTest host, Board board, int requests, int concurrency)
    {
        var uris = board.RepoIds.Select(api.CardsOf).ToArray();
        var latencies = new double[requests];
        long bytes = 0;
        var cpuBefore = host.CpuMilliseconds();
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(uris[i % uris.Length], ct);
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            Interlocked.Add(ref bytes, response.Content.Headers.ContentLength ?? (await response.Content.ReadAsByteArrayAsync(ct)).Length);
        });
        var elapsed = clock.Elapsed;
        var cpu = host.CpuMilliseconds() - cpuBefore;
        return new ListResult(concurrency, new Stats(latencies), elapsed, cpu, bytes / requests);
    }
}
