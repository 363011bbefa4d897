using LazyAf.Modules.Repos.Domain;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Repos.Handlers;

/// <summary>
/// A push killed mid-transfer leaves git's quarantine, <c>objects/tmp_objdir-incoming-*</c>, behind for good (96 MB in
/// one try). Every one is deleted at start-up, before the git server takes a push; while the host runs, those untouched
/// for <c>Repos:AbandonedPushAfter</c> go, every <c>Repos:AbandonedPushCheckInterval</c>.
/// </summary>
internal sealed class AbandonedPushCleanup(BareRepositories repos, IOptions<ReposOptions> options, TimeProvider clock, ILogger<AbandonedPushCleanup> logger)
    : BackgroundService, IHostedLifecycleService
{
    private const string Pattern = "tmp_objdir-incoming-*";

    /// <summary>Deletes the quarantines last written before <paramref name="before"/>; returns how many went.</summary>
    public int Sweep(DateTimeOffset before)
    {
        if (!Directory.Exists(repos.Root))
            return 0;
        var removed = 0;
        foreach (var repo in Directory.EnumerateDirectories(repos.Root, "*.git"))
        {
            var objects = Path.Combine(repo, "objects");
            if (!Directory.Exists(objects))
                continue;
            foreach (var quarantine in Directory.EnumerateDirectories(objects, Pattern))
            {
                if (LastWrite(quarantine) >= before)
                    continue;
                try
                {
                    Directory.Delete(quarantine, recursive: true);
                    removed++;
                    logger.LogInformation("Deleted {Quarantine}, left by a push that never finished", quarantine);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    logger.LogWarning("Could not delete {Quarantine}: {Reason}", quarantine, ex.Message);
                }
            }
        }
        return removed;
    }

    // A push still receiving writes into its quarantine: the newest write anywhere in it says it is alive.
    private static DateTimeOffset LastWrite(string directory)
    {
        var newest = Directory.GetLastWriteTimeUtc(directory);
        foreach (var entry in Directory.EnumerateFileSystemEntries(directory, "*", SearchOption.AllDirectories))
        {
            var written = File.GetLastWriteTimeUtc(entry);
            if (written > newest)
                newest = written;
        }
        return new DateTimeOffset(newest, TimeSpan.Zero);
    }

    // Before any hosted service starts, so before the git server takes a push: nothing can be receiving yet.
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Sweep(DateTimeOffset.MaxValue);
        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.AbandonedPushCheckInterval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                Sweep(clock.GetUtcNow() - options.Value.AbandonedPushAfter);
        }
        catch (OperationCanceledException)
        {
        }
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
