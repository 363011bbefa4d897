using System.Net.WebSockets;
using System.Text.Json;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// One WebSocket connection: replays what the client missed, then forwards live events, each id
/// at most once and in order. The only writer to the socket; a second task reads client messages.
/// </summary>
internal sealed class LiveSession(WebSocket socket, LiveEventLog log)
{
    private const int ReplayPage = 500;
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
            await socket.SendAsync(LiveEvent.Control("stream.gap", new { requested_after = after, oldest_available = bounds.Oldest }),
                WebSocketMessageType.Text, endOfMessage: true, ct);

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
        await socket.SendAsync(@event.Message, WebSocketMessageType.Text, endOfMessage: true, ct);
        _lastSent = @event.Id;
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
                if (message.EndOfMessage)
                    Apply(subscription, buffer.AsSpan(0, message.Count));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        await stop.CancelAsync();
    }

    private static void Apply(LiveSubscription subscription, ReadOnlySpan<byte> message)
    {
        try
        {
            using var json = JsonDocument.Parse(message.ToArray());
            if (json.RootElement.TryGetProperty("subscribe", out var follow))
                subscription.Follow(follow.EnumerateArray().Select(t => t.GetString()).OfType<string>());
            if (json.RootElement.TryGetProperty("unsubscribe", out var unfollow))
                subscription.Unfollow(unfollow.EnumerateArray().Select(t => t.GetString()).OfType<string>());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // A message we do not understand changes nothing.
        }
    }
}
