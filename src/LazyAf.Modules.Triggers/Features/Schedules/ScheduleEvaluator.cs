using LazyAf.Kernel.Db;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Modules.Triggers.Firings;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Features.Schedules;

/// <summary>
/// Fires the schedule triggers that are due: each known repo's pipelines on its default branch, run at the
/// branch's head. The slot and the firing commit together, so a slot fires once even across a crash.
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
            if (await repos.BranchTipAsync(repo.Id, repo.DefaultBranch, ct) is not { } sha)
                continue;
            foreach (var pipeline in await pipelines.ListAsync(repo.Id, repo.DefaultBranch, ct))
            {
                foreach (var trigger in pipeline.Triggers.Where(t => t.Kind == TriggerKinds.Schedule))
                {
                    if (await FireIfDueAsync(repo, sha, pipeline.Name, trigger, ct))
                        fired++;
                }
            }
        }
        return fired;
    }

    private async Task<bool> FireIfDueAsync(RepoInfo repo, string sha, string pipeline, PipelineTrigger trigger, CancellationToken ct)
    {
        if (ScheduleSlots.Parse(trigger.Cron) is not { } cron)
        {
            logger.LogWarning("Pipeline {Pipeline} of repo {RepoId} has a schedule trigger with an invalid cron {Cron}; it never fires", pipeline, repo.Id, trigger.Cron);
            return false;
        }
        var now = clock.GetUtcNow();
        if (await schedules.LastSlotAsync(repo.Id, pipeline, trigger.Cron!, ct) is not { } last)
        {
            await schedules.FirstSeenAsync(repo.Id, pipeline, trigger.Cron!, now, ct);
            return false;
        }
        if (ScheduleSlots.Due(cron, last, now) is not { } slot)
            return false;

        await using var tx = await database.BeginWriteAsync(ct);
        if (!await ScheduleStore.TryAdvanceAsync(tx, repo.Id, pipeline, trigger.Cron!, last, slot, ct))
            return false;
        var accepted = await recorder.AcceptAsync(tx, new FiringRequest(repo.Id, pipeline, TriggerKinds.Schedule, repo.DefaultBranch, sha,
            trigger.OnPass, trigger.OnFail, $"schedule:{trigger.Cron}@{slot:O}"), ct);
        await tx.CommitAsync(ct);
        logger.LogInformation("Schedule {Cron} of pipeline {Pipeline} is due for {Slot}: {Outcome}", trigger.Cron, pipeline, slot,
            accepted.Created ? "fired" : "this commit already ran");
        return accepted.Created;
    }
}
