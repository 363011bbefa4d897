using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>
/// Discards a finished run: its work branch is deleted, then the run. Its execution stays (logs, events, cost), as
/// executions are the history of what ran. A run still going is a 409: cancel it first.
/// </summary>
internal static class DiscardPlaygroundRunEndpoint
{
    public static void MapDiscardPlaygroundRun(this IEndpointRouteBuilder api) =>
        api.MapDelete("/playground/runs/{rid}", HandleAsync)
            .WithName("DiscardPlaygroundRun")
            .WithSummary("Discard a finished playground run and delete its work branch");

    private static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> HandleAsync(string rid, PlaygroundRuns runs, PlaygroundStore store, IRepoCatalog repos, IBranchRefs refs, CancellationToken ct)
    {
        if (!Ids.IsValid(rid) || await runs.FindAsync(rid, ct) is not { } state)
            return Problems.NotFound("playground run", rid);
        if (!state.IsFinished)
            return Problems.Conflict("Run not finished", $"Playground run {rid} is {EnumText.Of(state.State)}; cancel it first.",
                new Dictionary<string, object?> { ["current_state"] = EnumText.Of(state.State) });
        var run = state.Run;

        // The branch goes first: if the row went first, a crash in between would leave a branch nothing points to.
        if (await repos.BranchTipAsync(run.RepoId, run.WorkBranch, ct) is { } tip
            && await refs.DeleteAsync(run.RepoId, run.WorkBranch, tip, ct) is { Outcome: BranchRefOutcome.Moved } moved)
            return Problems.Conflict("Branch moved", moved.Reason!);
        await store.DeleteAsync(rid, ct);
        return TypedResults.NoContent();
    }
}
