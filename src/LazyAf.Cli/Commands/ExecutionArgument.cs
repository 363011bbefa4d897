using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;

namespace LazyAf.Cli.Commands;

/// <summary>The <c>EXECUTION</c> argument: an execution's id, a unique prefix of it, or its last 8 characters.</summary>
internal static class ExecutionArgument
{
    public static Argument<string> Create() =>
        new("execution") { Description = "The execution's id, a unique prefix or its last 8 characters (card start and lazyaf pipeline show print them)" };

    public static CliFailure NotFound(string id) => new($"no execution '{id}'");

    /// <summary>
    /// The whole id of the execution <paramref name="given"/> names. Executions are not listed on their own; the ones a prefix
    /// can name are those of the cards' attempts and the pipeline runs' steps.
    /// </summary>
    public static async Task<string> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var candidates = new List<Candidate>();
        foreach (var run in await api.ListPipelineRunsAsync(null, null, null, ct))
        {
            foreach (var step in run.Steps)
            {
                if (step.ExecutionId is { } id && IdPrefix.Matches(id, given))
                    candidates.Add(new Candidate(id, $"step {step.Id} of run {run.Pipeline}"));
            }
        }
        foreach (var repo in await api.ListReposAsync(ct))
        {
            foreach (var summary in await api.ListCardsAsync(repo.Id, null, ct) ?? [])
            {
                if (summary.Status == "todo")
                    continue;
                foreach (var attempt in (await api.FindCardAsync(summary.Id, ct))?.Attempts ?? [])
                {
                    if (attempt.ExecutionId is { } id && IdPrefix.Matches(id, given))
                        candidates.Add(new Candidate(id, $"card {summary.Title}, attempt #{attempt.Number}"));
                }
            }
        }
        return IdPrefix.Pick("execution", given, candidates, _ => true, () => NotFound(given));
    }
}
