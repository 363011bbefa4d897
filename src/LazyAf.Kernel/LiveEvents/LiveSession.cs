using System.Net.WebSockets;
using System.Text.Json;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// One WebSocket connection: replays what the client missed, then forwards live events, each id
/// at most once and in order. A second task reads client messages and acknowledges each change of
/// topics (<c>stream.topics</c>) once it applies; sends take turns on the socket.
/// </summary>
internal sealed class LiveSession(WebSocket socket, LiveEventLog log) : IDisposable
{
    private const int ReplayPage = 500;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private long _lastSent;

    /// <summary>
    /// Runs until the client or the server leaves. <paramref name="subscription"/> was made before the replay: anything
    /// committed meanwhile is queued, and duplicates are skipped by id.
    /// </summary>
    public async Task RunAsync(LiveSubscription subscription, long? after, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = ReadClientAsync(subscription, stop);
        try
        {
            if (after is { } resumeFrom)
                await ReplayAsync(subscription, resumeFrom, stop.Token);
            await foreach (var @event in subscription.Events.ReadAllAsync(stop.Token))
                await SendAsync(@event, stop.Token);

            var reason = subscription.Overflowed ? $"too slow; resume with after={_lastSent}" : "server stopping";
            await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, reason, CancellationToken.None);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
            // The client left.
        }
        finally
        {
            await stop.CancelAsync();
            await reading;
        }
    }

    private async Task ReplayAsync(LiveSubscription subscription, long after, CancellationToken ct)
    {
        _lastSent = after;
        var bounds = await log.BoundsAsync(ct);
        if (bounds.Newest > after && bounds.Oldest > after + 1)
            await SendMessageAsync(LiveEvent.Control("stream.gap", new { requested_after = after, oldest_available = bounds.Oldest }), ct);

        IReadOnlyList<LiveEvent> page;
        do
        {
            page = await log.ReadAfterAsync(_lastSent, ReplayPage, ct);
            foreach (var @event in page.Where(subscription.Wants))
                await SendAsync(@event, ct);
            if (page.Count > 0)
                _lastSent = Math.Max(_lastSent, page[^1].Id);
        }
        while (page.Count == ReplayPage);
    }

    private async Task SendAsync(LiveEvent @event, CancellationToken ct)
    {
        if (@event.Id <= _lastSent)
            return;
        await SendMessageAsync(@event.Message, ct);
        _lastSent = @event.Id;
    }

    private async Task SendMessageAsync(ReadOnlyMemory<byte> message, CancellationToken ct)
    {
        await _sending.WaitAsync(ct);
        try
        {
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReadClientAsync(LiveSubscription subscription, CancellationTokenSource stop)
    {
        var buffer = new byte[4096];
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var message = await socket.ReceiveAsync(buffer, stop.Token);
                if (message.MessageType == WebSocketMessageType.Close)
                    break;
                // Events published after the acknowledgement are filtered by the new topics: a client can act on it.
                if (message.EndOfMessage && Apply(subscription, buffer.AsSpan(0, message.Count)))
                    await SendMessageAsync(LiveEvent.Control("stream.topics", new { topics = subscription.Topics }), stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        await stop.CancelAsync();
    }

    /// <summary>Applies a subscribe/unsubscribe message; false when it changed nothing (a message we do not understand).</summary>
    private static bool Apply(LiveSubscription subscription, ReadOnlySpan<byte> message)
    {
        try
        {
            using var json = JsonDocument.Parse(message.ToArray());
            var follows = json.RootElement.TryGetProperty("subscribe", out var follow);
            if (follows)
                subscription.Follow(follow.EnumerateArray().Select(t => t.GetString()).OfType<string>());
            var unfollows = json.RootElement.TryGetProperty("unsubscribe", out var unfollow);
            if (unfollows)
                subscription.Unfollow(unfollow.EnumerateArray().Select(t => t.GetString()).OfType<string>());
            return follows || unfollows;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return false;
        }
    }

    public void Dispose() => _sending.Dispose();
}
