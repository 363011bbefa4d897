using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Triggers.Contracts;
using LazyAf.Modules.Triggers.Data;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Domain;

/// <summary>
/// Accepts triggers: the firing row and its <see cref="TriggerFired"/> event commit together, so an accepted
/// trigger survives a crash, and a repeated trigger (same pipeline, kind, branch and commit) is recorded once.
/// </summary>
internal sealed class FiringRecorder(IDatabase database, IEventOutbox outbox, TimeProvider clock, ILogger<FiringRecorder> logger)
{
    /// <summary>The firing, and whether this call created it (false: an earlier one had the same dedup key).</summary>
    public sealed record Accepted(Firing Firing, bool Created);

    public async Task<Accepted> AcceptAsync(FiringRequest request, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        var accepted = await AcceptAsync(tx, request, ct);
        await tx.CommitAsync(ct);
        return accepted;
    }

    /// <summary>Accepts inside <paramref name="tx"/>, for callers that record something else with it.</summary>
    public async Task<Accepted> AcceptAsync(WriteTransaction tx, FiringRequest request, CancellationToken ct)
    {
        var id = Ids.New();
        var key = Firing.DedupKeyOf(request.RepoId, request.Kind, request.Pipeline, request.Branch, request.CommitSha);
        var firing = new Firing
        {
            Id = id,
            RepoId = request.RepoId,
            Pipeline = request.Pipeline,
            Kind = request.Kind,
            Branch = request.Branch,
            CommitSha = request.CommitSha,
            CardId = request.CardId,
            Params = JsonSerializer.Serialize(request.Params),
            OnPass = request.OnPass,
            OnFail = request.OnFail,
            DedupKey = request.Forced ? $"{key}:forced:{id}" : key,
            Forced = request.Forced,
            Source = request.Source,
            CreatedAt = clock.GetUtcNow(),
        };
        if (!await FiringStore.TryInsertAsync(tx, firing, ct))
        {
            logger.LogDebug("Trigger {Kind} of pipeline {Pipeline} on {CommitSha} was already accepted", request.Kind, request.Pipeline, request.CommitSha);
            return new Accepted((await FiringStore.FindByDedupKeyAsync(tx, key, ct))!, false);
        }
        await outbox.EnqueueAsync(tx, new TriggerFired(id, firing.RepoId, firing.Pipeline, firing.Kind, firing.Branch, firing.CommitSha, firing.CardId), ct);
        logger.LogInformation("Trigger {Kind} accepted: pipeline {Pipeline} on {Branch} at {CommitSha} (firing {FiringId})",
            request.Kind, request.Pipeline, request.Branch, request.CommitSha, id);
        return new Accepted(firing, true);
    }
}
