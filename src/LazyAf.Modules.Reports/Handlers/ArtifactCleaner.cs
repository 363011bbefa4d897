using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Reports.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Reports.Handlers;

/// <summary>
/// Every <c>Reports:ArtifactCleanupInterval</c>: deletes artifacts older than <c>Reports:ArtifactRetention</c>, then the
/// oldest while all of them take more than <c>Reports:ArtifactTotalBytes</c>, and the bytes no artifact refers to any more.
/// </summary>
internal sealed class ArtifactCleaner(ArtifactStore store, ArtifactBlobs blobs, IOptions<ReportsOptions> options, TimeProvider clock, ILogger<ArtifactCleaner> logger)
    : BackgroundService
{
    private const int Batch = 500;

    // A copy in tmp/ this old belongs to no collection still running.
    private static readonly TimeSpan StaleCopy = TimeSpan.FromHours(1);

    // A timer waits at most this long; a longer interval waits in such steps.
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    private readonly ReportsOptions _options = options.Value;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(TimeSpan.FromTicks(Math.Min(_options.ArtifactCleanupInterval.Ticks, LongestDelay.Ticks)), clock, stoppingToken);
                await SweepAsync(clock.GetUtcNow(), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Artifact cleanup failed; trying again next interval");
            }
        }
    }

    /// <summary>One pass as of <paramref name="now"/>; returns how many artifacts it deleted.</summary>
    public async Task<int> SweepAsync(DateTimeOffset now, CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var deleted = 0;
            IReadOnlyList<ArtifactRow> expired;
            while ((expired = await store.OlderThanAsync(now - _options.ArtifactRetention, Batch, ct)).Count > 0)
                deleted += await DeleteAsync(expired, "past its retention", ct);
            var total = await store.TotalAsync(ct);
            while (total > _options.ArtifactTotalBytes && await store.OldestAsync(Batch, ct) is { Count: > 0 } oldest)
            {
                var over = new List<ArtifactRow>();
                foreach (var artifact in oldest.TakeWhile(_ => total > _options.ArtifactTotalBytes))
                {
                    over.Add(artifact);
                    total -= artifact.SizeBytes;
                }
                deleted += await DeleteAsync(over, "over the total size", ct);
            }
            blobs.DeleteStaleCopies((now - StaleCopy).UtcDateTime);
            return deleted;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    private async Task<int> DeleteAsync(IReadOnlyList<ArtifactRow> artifacts, string why, CancellationToken ct)
    {
        foreach (var sha in await store.DeleteAsync(artifacts, ct))
            blobs.Delete(sha);
        logger.LogInformation("Deleted {Count} artifacts {Why}", artifacts.Count, why);
        return artifacts.Count;
    }

    public override void Dispose()
    {
        _oneAtATime.Dispose();
        base.Dispose();
    }
}
