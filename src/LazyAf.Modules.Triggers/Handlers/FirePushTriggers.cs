using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;

namespace LazyAf.Modules.Triggers.Handlers;

/// <summary>
/// A branch that moves — a <c>git push</c>, or a merge or fast-forward LazyAF made (an approved card landing on
/// main is a push to main, as on any forge) — fires the push triggers whose branch globs match it, on the new
/// sha. Deletions fire nothing, and <c>lazyaf/*</c> branches fire only triggers that ask for them, so a runner's
/// push cannot set off the pipeline that made it; a merge that moves nothing (up to date) records no push.
/// A pipeline file on the branch that does not read fires too, as a run that fails saying why (as a forge shows an
/// invalid workflow file), rather than being skipped without a word.
/// </summary>
internal sealed class FirePushTriggers(TriggerMatches matches, FiringRecorder recorder, KnownRepoStore knownRepos, IPipelineCatalog catalog)
    : IIntegrationEventHandler<PushReceived>
{
    private const string HeadsPrefix = "refs/heads/";

    public async Task HandleAsync(PushReceived @event, EventContext context, CancellationToken ct)
    {
        await knownRepos.RememberAsync(@event.RepoId, ct);
        if (@event.IsDeletion || !@event.Ref.StartsWith(HeadsPrefix, StringComparison.Ordinal))
            return;
        var branch = @event.Ref[HeadsPrefix.Length..];
        var fired = await matches.OnBranchAsync(@event.RepoId, branch, TriggerKinds.Push,
            t => BranchGlob.Fires(t.Branches, t.IncludeLazyafBranches, branch), ct);
        foreach (var (pipeline, trigger) in fired)
        {
            await recorder.AcceptAsync(new FiringRequest(@event.RepoId, pipeline, TriggerKinds.Push, branch, @event.NewSha,
                trigger.OnPass, trigger.OnFail, $"{@event.Source}:{@event.PushId}"), ct);
        }
        // LazyAF's own branches carry the files of the branch they came from, which that branch's push reported.
        if (branch.StartsWith(BranchGlob.LazyafPrefix, StringComparison.Ordinal))
            return;
        foreach (var invalid in await catalog.InvalidFilesAsync(@event.RepoId, branch, ct))
        {
            await recorder.AcceptAsync(new FiringRequest(@event.RepoId, invalid.Name, TriggerKinds.Push, branch, @event.NewSha,
                TriggerAction.Nothing, TriggerAction.Nothing, $"{@event.Source}:{@event.PushId}"), ct);
        }
    }
}
