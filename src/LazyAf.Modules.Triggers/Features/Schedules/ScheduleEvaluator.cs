using LazyAf.Kernel.Db;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Features.Schedules;

/// <summary>
/// Fires the schedule triggers that are due: each known repo's pipelines as its default branch defines them,
/// run at the head of the default branch (or of each branch the trigger names). The slot and the firings
/// commit together, so a slot fires once even across a crash.
/// </summary>
internal sealed class ScheduleEvaluator(
    KnownRepoStore knownRepos, IRepoCatalog repos, IPipelineCatalog pipelines, ScheduleStore schedules,
    IDatabase database, FiringRecorder recorder, TimeProvider clock, ILogger<ScheduleEvaluator> logger)
{
    /// <summary>Fires what is due now; returns how many triggers fired.</summary>
    public async Task<int> EvaluateAsync(CancellationToken ct)
    {
        var fired = 0;
        foreach (var repoId in await knownRepos.AllAsync(ct))
        {
            if (await repos.FindAsync(repoId, ct) is not { } repo)
            {
                await knownRepos.ForgetAsync(repoId, ct);
                continue;
            }
            foreach (var pipeline in await pipelines.ListAsync(repo.Id, repo.DefaultBranch, ct))
            {
                foreach (var trigger in pipeline.Triggers.Where(t => t.Kind == TriggerKinds.Schedule))
                {
                    fired += await FireIfDueAsync(repo, pipeline.Name, trigger, ct);
                }
            }
        }
        return fired;
    }

    private async Task<int> FireIfDueAsync(RepoInfo repo, string pipeline, PipelineTrigger trigger, CancellationToken ct)
    {
        if (ScheduleSlots.Parse(trigger.Cron) is not { } cron)
        {
            logger.LogWarning("Pipeline {Pipeline} of repo {RepoId} has a schedule trigger with an invalid cron {Cron}; it never fires", pipeline, repo.Id, trigger.Cron);
            return 0;
        }
        var now = clock.GetUtcNow();
        if (await schedules.LastSlotAsync(repo.Id, pipeline, trigger.Cron!, ct) is not { } last)
        {
            await schedules.FirstSeenAsync(repo.Id, pipeline, trigger.Cron!, now, ct);
            return 0;
        }
        if (ScheduleSlots.Due(cron, last, now) is not { } slot)
            return 0;

        var heads = new List<(string Branch, string Sha)>();
        foreach (var branch in trigger.Branches.Count == 0 ? [repo.DefaultBranch] : trigger.Branches)
        {
            if (await repos.BranchTipAsync(repo.Id, branch, ct) is { } sha)
                heads.Add((branch, sha));
        }
        var fired = 0;
        await using var tx = await database.BeginWriteAsync(ct);
        if (!await ScheduleStore.TryAdvanceAsync(tx, repo.Id, pipeline, trigger.Cron!, last, slot, ct))
            return 0;
        foreach (var (branch, sha) in heads)
        {
            var accepted = await recorder.AcceptAsync(tx, new FiringRequest(repo.Id, pipeline, TriggerKinds.Schedule, branch, sha,
                trigger.OnPass, trigger.OnFail, $"schedule:{trigger.Cron}@{slot:O}"), ct);
            fired += accepted.Created ? 1 : 0;
        }
        await tx.CommitAsync(ct);
        logger.LogInformation("Schedule {Cron} of pipeline {Pipeline} is due for {Slot}: {Fired} of {Branches} branch(es) fired (the rest already ran their commit)",
            trigger.Cron, pipeline, slot, fired, heads.Count);
        return fired;
    }
}
