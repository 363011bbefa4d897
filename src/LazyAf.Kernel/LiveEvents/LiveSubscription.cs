using System.Threading.Channels;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// One client's view of the live stream: the topics it follows and a bounded queue of events for
/// it. A client that falls too far behind is cut off rather than slowing everyone; it resumes
/// from its last id without loss.
/// </summary>
internal sealed class LiveSubscription(IEnumerable<string> topics, int capacity)
{
    private readonly HashSet<string> _topics = [.. topics];
    private readonly Channel<LiveEvent> _queue = Channel.CreateBounded<LiveEvent>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelReader<LiveEvent> Events => _queue.Reader;

    public bool Overflowed { get; private set; }

    /// <summary>The topics it follows now, sorted (none: everything).</summary>
    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_topics)
                return [.. _topics.Order(StringComparer.Ordinal)];
        }
    }

    public void Follow(IEnumerable<string> topics)
    {
        lock (_topics)
            _topics.UnionWith(topics);
    }

    public void Unfollow(IEnumerable<string> topics)
    {
        lock (_topics)
            _topics.ExceptWith(topics);
    }

    /// <summary>Following nothing means following everything.</summary>
    public bool Wants(LiveEvent @event)
    {
        lock (_topics)
            return _topics.Count == 0 || @event.Topics.Any(_topics.Contains);
    }

    /// <summary>Queues the event if the client follows it; on overflow the subscription ends.</summary>
    public void Offer(LiveEvent @event)
    {
        if (Overflowed || !Wants(@event))
            return;
        if (!_queue.Writer.TryWrite(@event))
        {
            Overflowed = true;
            _queue.Writer.TryComplete();
        }
    }

    public void End() => _queue.Writer.TryComplete();
}
