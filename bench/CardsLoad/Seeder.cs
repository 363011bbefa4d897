using System.Diagnostics;

namespace CardsLoad;

/// <summary>The seeded board: each repo's id and its cards' ids, in creation order.</summary>
internal sealed record Board(IReadOnlyList<string> RepoIds, IReadOnlyList<IReadOnlyList<string>> CardIds)
{
    public int Cards => CardIds.Sum(c => c.Count);
}

/// <summary>What seeding cost: wall time and the latency of each <c>POST</c>.</summary>
internal sealed record SeedResult(Board Board, TimeSpan RepoTime, TimeSpan CardTime, Stats CardPosts, int Concurrency);

/// <summary>Creates the repos, then the cards, spread round-robin over the repos, <c>SeedConcurrency</c> at a time.</summary>
internal static class Seeder
{
    public static async Task<SeedResult> SeedAsync(LazyAfApi api, Options options)
    {
        var run = Guid.NewGuid().ToString("N")[..8];
        var clock = Stopwatch.StartNew();
        var repos = new List<string>();
        for (var r = 0; r < options.Repos; r++)
            repos.Add(await api.CreateRepoAsync($"bench-{run}-{r:00}"));
        var repoTime = clock.Elapsed;

        var total = options.Repos * options.CardsPerRepo;
        var ids = new string[total];
        var latencies = new double[total];
        clock.Restart();
        await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = options.SeedConcurrency }, async (i, _) =>
        {
            var start = Stopwatch.GetTimestamp();
            ids[i] = await api.CreateCardAsync(repos[i % options.Repos], $"Card {i / options.Repos} of repo {i % options.Repos}: make the tests pass");
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        });
        var cardTime = clock.Elapsed;

        var cards = Enumerable.Range(0, options.Repos)
            .Select(r => (IReadOnlyList<string>)[.. Enumerable.Range(0, options.CardsPerRepo).Select(k => ids[k * options.Repos + r])])
            .ToList();
        return new SeedResult(new Board(repos, cards), repoTime, cardTime, new Stats(latencies), options.SeedConcurrency);
    }
}
