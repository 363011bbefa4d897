using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Pipelines.Handlers;

/// <summary>
/// A run that is not a card's works on a branch of its own, <c>lazyaf/run-{id}</c>, which its first step pushes. When
/// the run ends with nothing committed on it the branch is deleted, so a repo's branches do not fill up with one per
/// push; a branch that holds the run's commits (a fix step's work) is kept to review or merge. The delete is a
/// compare-and-swap on the built commit: a step still pushing to it (a cancelled run) keeps it.
/// </summary>
internal sealed class RunBranchCleanup(IBranchRefs branches, ILogger<RunBranchCleanup> logger) : IIntegrationEventHandler<PipelineRunUpdated>
{
    public const string Prefix = "lazyaf/run-";

    public async Task HandleAsync(PipelineRunUpdated @event, EventContext context, CancellationToken ct)
    {
        var run = @event.Run;
        if (run.State is PipelineRunState.Pending or PipelineRunState.Running or PipelineRunState.Paused || run.CardId is not null)
            return;
        if (run.WorkBranch is not { } branch || !branch.StartsWith(Prefix, StringComparison.Ordinal) || run.CommitSha is not { } built)
            return;
        if (run.HeadSha != built)
        {
            logger.LogInformation("Run {RunId} keeps {Branch}: it holds the run's commits up to {HeadSha}", run.Id, branch, run.HeadSha);
            return;
        }
        // A redelivery finds it gone (Rejected or Moved): nothing to do either way.
        var deleted = await branches.DeleteAsync(run.RepoId, branch, built, ct);
        logger.LogInformation("Run {RunId} ended with nothing committed on {Branch}: {Outcome}", run.Id, branch, deleted.Outcome);
    }
}
