using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;

namespace LazyAf.Cli.Commands;

/// <summary>The <c>ID</c> of a playground run: its id, a unique prefix, or its last 8 characters (its work branch's suffix).</summary>
internal static class PlaygroundArgument
{
    public static Argument<string> Create() => new("id") { Description = "The playground run's id, a unique prefix or its last 8 characters (playground run prints it first)" };

    public static CliFailure NotFound(string id) => new($"no playground run '{id}' (lazyaf playground list REPO lists them)");

    /// <summary>The whole id of the run <paramref name="given"/> names, looked up among every repo's runs; a <see cref="CliFailure"/> when none or several do.</summary>
    public static async Task<string> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var candidates = new List<Candidate>();
        foreach (var repo in await api.ListReposAsync(ct))
        {
            var runs = await api.ListPlaygroundRunsAsync(repo.Id, ct) ?? [];
            candidates.AddRange(runs.Select(r => new Candidate(r.Id, $"{r.Agent} on {repo.Name}, {r.State}", r.WorkBranch)));
        }
        return IdPrefix.Pick("playground run", given, candidates,
            c => IdPrefix.Matches(c.Id, given) || (given.Length == IdPrefix.ShortLength && c.Branch?.EndsWith(given, StringComparison.OrdinalIgnoreCase) == true),
            () => NotFound(given));
    }
}
