using System.Collections.Concurrent;
using LazyAf.Kernel.Events;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// Reads each committed event once from the log and fans it out to every live subscription, in id
/// order. Also trims the log to the replay window.
/// </summary>
internal sealed class LiveEventHub(LiveEventLog log, CommitSignal signal, IOptions<LiveEventsOptions> options, ILogger<LiveEventHub> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan TrimEvery = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<LiveSubscription, byte> _subscriptions = new();
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _published;

    /// <summary>How many recent events stay replayable (<c>LiveEvents:ReplayWindow</c>).</summary>
    public long ReplayWindow { get; } = options.Value.ReplayWindow;

    /// <summary>Events a subscriber may have queued before it counts as too slow (<c>LiveEvents:SubscriberQueue</c>).</summary>
    public int SubscriberQueue { get; } = options.Value.SubscriberQueue;

    /// <summary>The largest message a client may send (<c>LiveEvents:MaxClientMessageBytes</c>).</summary>
    public int MaxClientMessageBytes { get; } = options.Value.MaxClientMessageBytes;

    /// <summary>Completes once the hub knows where the log ends, so subscriptions made after it miss nothing.</summary>
    public Task Started => _started.Task;

    public LiveSubscription Subscribe(IEnumerable<string> topics)
    {
        var subscription = new LiveSubscription(topics, SubscriberQueue);
        _subscriptions[subscription] = 0;
        return subscription;
    }

    public void Unsubscribe(LiveSubscription subscription)
    {
        _subscriptions.TryRemove(subscription, out _);
        subscription.End();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            _published = (await log.BoundsAsync(stoppingToken)).Newest;
            _started.TrySetResult();
            var lastTrim = DateTime.MinValue;
            while (!stoppingToken.IsCancellationRequested)
            {
                var next = signal.Next;
                var batch = await log.ReadAfterAsync(_published, BatchSize, stoppingToken);
                foreach (var @event in batch)
                {
                    foreach (var subscription in _subscriptions.Keys)
                        subscription.Offer(@event);
                    _published = @event.Id;
                }
                if (DateTime.UtcNow - lastTrim > TrimEvery)
                {
                    lastTrim = DateTime.UtcNow;
                    await log.TrimAsync(ReplayWindow, stoppingToken);
                }
                if (batch.Count < BatchSize)
                    await CommitSignal.WaitAsync(next, Poll, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            logger.LogCritical(ex, "Live event hub stopped");
            throw;
        }
        finally
        {
            foreach (var subscription in _subscriptions.Keys)
                subscription.End();
        }
    }
}
