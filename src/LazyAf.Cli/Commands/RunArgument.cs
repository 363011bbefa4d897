using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;

namespace LazyAf.Cli.Commands;

/// <summary>The <c>RUN</c> argument: a pipeline run's id, a unique prefix of it, or its last 8 characters.</summary>
internal static class RunArgument
{
    public static Argument<string> Create() => new("run") { Description = "The pipeline run's id, a unique prefix or its last 8 characters (pipeline run prints it first)" };

    public static CliFailure NotFound(string id) => new($"no pipeline run '{id}'");

    /// <summary>The whole id of the run <paramref name="given"/> names; a <see cref="CliFailure"/> when none or several do.</summary>
    public static async Task<string> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var runs = await api.ListPipelineRunsAsync(null, null, null, ct);
        return IdPrefix.Pick("pipeline run", given, runs.Select(r => new Candidate(r.Id, $"{r.Pipeline} on {r.Branch}, {r.State}")),
            c => IdPrefix.Matches(c.Id, given), () => NotFound(given));
    }
}
