using System.Text.RegularExpressions;
using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.RunPipeline;

/// <summary>
/// Runs a pipeline by hand: a stored one by id, or one the branch sees (repo file first) by name. The branch defaults to the
/// repo's default branch, the commit to the branch's head at start; both are recorded on the run.
/// </summary>
internal static partial class RunPipelineEndpoints
{
    public sealed record RunPipelineRequest(string? Branch = null, string? Commit = null, IReadOnlyDictionary<string, string>? Params = null);

    public static void MapRunPipeline(this IEndpointRouteBuilder api)
    {
        api.MapPost("/pipelines/{id}/run", RunStoredAsync).WithName("RunPipeline")
            .WithSummary("Run a stored pipeline on {branch?, commit?} with params as environment variables; 202 with the run");
        api.MapPost("/repos/{repoId}/pipelines/{name}/run", RunByNameAsync).WithName("RunPipelineByName")
            .WithSummary("Run the pipeline of that name as the branch sees it (its .lazyaf/pipelines/ file, else the stored one)");
    }

    private static async Task<Results<Accepted<RunResponse>, ValidationProblem, NotFoundProblem, UnprocessableProblem>> RunStoredAsync(
        string id, RunPipelineRequest? body, PipelineStore store, IRepoCatalog repos, RunStarter starter, RunStore runs, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await store.FindAsync(id, ct) is not { } pipeline)
            return Problems.NotFound("pipeline", id);
        return await StartAsync(pipeline.RepoId, pipeline.Name, pipeline.Id, body ?? new RunPipelineRequest(), repos, starter, runs, ct);
    }

    private static async Task<Results<Accepted<RunResponse>, ValidationProblem, NotFoundProblem, UnprocessableProblem>> RunByNameAsync(
        string repoId, string name, RunPipelineRequest? body, IRepoCatalog repos, PipelineSources sources, RunStarter starter, RunStore runs, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is not { } repo)
            return Problems.NotFound("repo", repoId);
        var request = body ?? new RunPipelineRequest();
        var branch = request.Branch ?? repo.DefaultBranch;
        // Which pipelines there are depends on the branch: a missing one must not read as a missing pipeline.
        if (BranchNames.Check(branch) is null && await repos.BranchTipAsync(repoId, branch, ct) is null)
            return NoSuchBranch(repo.Name, branch);
        if (await sources.FindAsync(repoId, branch, name, ct) is null)
            return Problems.NotFound("pipeline", name);
        return await StartAsync(repoId, name, null, request, repos, starter, runs, ct);
    }

    private static async Task<Results<Accepted<RunResponse>, ValidationProblem, NotFoundProblem, UnprocessableProblem>> StartAsync(
        string repoId, string name, string? storedId, RunPipelineRequest body, IRepoCatalog repos, RunStarter starter, RunStore runs, CancellationToken ct)
    {
        var branch = body.Branch ?? (await repos.FindAsync(repoId, ct))!.DefaultBranch;
        if (BranchNames.Check(branch) is { } bad)
            return Problems.Invalid("branch", bad);
        if (await repos.BranchTipAsync(repoId, branch, ct) is null)
            return NoSuchBranch((await repos.FindAsync(repoId, ct))!.Name, branch);
        if (body.Commit is { } commit && !CommitId().IsMatch(commit))
            return Problems.Invalid("commit", $"commit '{commit}' is not a commit id (4 to 64 hex digits).");
        if (body.Params?.Keys.FirstOrDefault(k => !ParamName().IsMatch(k)) is { } param)
            return Problems.Invalid("params", $"param '{param}' is not an environment variable name (letters, digits, '_'; not starting with a digit).");

        var request = new PipelineRunRequest(repoId, name, branch, body.Commit, "manual", body.Params ?? new Dictionary<string, string>());
        var started = await starter.StartAsync(request, storedId, ct);
        var run = new PipelineRun((await runs.FindAsync(started.RunId, ct))!);
        return TypedResults.Accepted($"/api/pipeline-runs/{started.RunId}", RunResponse.From(run, await runs.StepsAsync(started.RunId, ct)));
    }

    private static UnprocessableProblem NoSuchBranch(string repo, string branch) =>
        Problems.Unprocessable("No such branch", $"{repo} has no branch '{branch}'; push it to LazyAF first.", "no-such-branch");

    [GeneratedRegex("^[0-9a-fA-F]{4,64}$")]
    private static partial Regex CommitId();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex ParamName();
}
