using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>The body of <c>POST /api/playground/runs/{rid}/save</c>: the branch to put the result on.</summary>
internal sealed record SavePlaygroundRunRequest(string? Branch);

/// <summary>Where the result went: the branch, its sha, and whether it was <c>created</c>, <c>fast_forwarded</c> or <c>up_to_date</c>.</summary>
internal sealed record SavedPlaygroundRunResponse(string Branch, string Sha, BranchRefOutcome Outcome, PlaygroundRunResponse Run);

/// <summary>
/// Puts a succeeded run's result on a branch: creates it at the result sha, or fast-forwards it when the result
/// contains its tip. A branch that holds other work is never moved (409 with its sha): merge or pick another name.
/// </summary>
internal static class SavePlaygroundRunEndpoint
{
    private static readonly string[] SavableStates = ["succeeded"];

    public static void MapSavePlaygroundRun(this IEndpointRouteBuilder api) =>
        api.MapPost("/playground/runs/{rid}/save", HandleAsync)
            .WithName("SavePlaygroundRun")
            .WithSummary("Put a succeeded run's result on a branch (created, or fast-forwarded; 409 if it diverged)");

    private static async Task<Results<Ok<SavedPlaygroundRunResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> HandleAsync(
        string rid, SavePlaygroundRunRequest request, PlaygroundRuns runs, PlaygroundStore store, IBranchRefs refs, CancellationToken ct)
    {
        if (!Ids.IsValid(rid) || await runs.FindAsync(rid, ct) is not { } state)
            return Problems.NotFound("playground run", rid);
        if (BranchNames.Check(request.Branch) is { } invalid)
            return Problems.Invalid("branch", invalid);
        if (state.State != ExecutionState.Succeeded || state.ResultSha is not { } sha)
            return Problems.Conflict("Run not succeeded", $"Only a succeeded run can be saved; playground run {rid} is {EnumText.Of(state.State)}.",
                new Dictionary<string, object?> { ["current_state"] = EnumText.Of(state.State), ["allowed_states"] = SavableStates });

        var saved = await refs.FastForwardAsync(state.Run.RepoId, request.Branch!, sha, ct);
        var branchState = new Dictionary<string, object?> { ["branch"] = request.Branch, ["branch_sha"] = saved.Sha, ["result_sha"] = sha };
        if (!saved.Succeeded)
            return saved.Outcome switch
            {
                BranchRefOutcome.Diverged => Problems.Conflict("Branch diverged", $"{saved.Reason} Merge it or save to another branch.", branchState),
                BranchRefOutcome.Moved => Problems.Conflict("Branch moved", saved.Reason!, branchState),
                _ => Problems.Conflict("Cannot save", saved.Reason!, branchState),
            };
        await store.SavedToAsync(rid, request.Branch!, ct);
        return TypedResults.Ok(new SavedPlaygroundRunResponse(request.Branch!, sha, saved.Outcome,
            PlaygroundRunResponse.From(state with { Run = state.Run with { SavedTo = request.Branch } })));
    }
}
