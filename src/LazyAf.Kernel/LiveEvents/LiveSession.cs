using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;

namespace LazyAf.Kernel.LiveEvents;

/// <summary>
/// One WebSocket connection: replays what the client missed, then forwards live events, each id
/// at most once and in order. A second task reads client messages and acknowledges each change of
/// topics (<c>stream.topics</c>) once it applies, or says why a message was not one (<c>stream.error</c>); a client
/// message over <c>maxMessageBytes</c> closes the stream with 1009 (message too big). Sends take turns on the socket.
/// </summary>
internal sealed class LiveSession(WebSocket socket, LiveEventLog log, int maxMessageBytes) : IDisposable
{
    private const int ReplayPage = 500;
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(5);
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
            // Once the server has closed its side (a message too big) nothing more may be sent.
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReadClientAsync(LiveSubscription subscription, CancellationTokenSource stop)
    {
        var chunk = new byte[4096];
        var message = new ArrayBufferWriter<byte>(chunk.Length);
        try
        {
            while (!stop.IsCancellationRequested)
            {
                // A message may come in many frames, and a frame in many reads: it is whole only at EndOfMessage.
                var read = await socket.ReceiveAsync(chunk, stop.Token);
                if (read.MessageType == WebSocketMessageType.Close)
                    break;
                if (message.WrittenCount + read.Count > maxMessageBytes)
                {
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"a message may be at most {maxMessageBytes} bytes", stop.Token);
                    await DrainUntilClosedAsync(chunk, stop.Token);
                    break;
                }
                message.Write(chunk.AsSpan(0, read.Count));
                if (!read.EndOfMessage)
                    continue;
                // Events published after the acknowledgement are filtered by the new topics: a client can act on it.
                var reply = read.MessageType == WebSocketMessageType.Text
                    ? Apply(subscription, message.WrittenSpan)
                    : Error("messages are JSON text, not binary");
                message.ResetWrittenCount();
                await SendMessageAsync(reply, stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }
        await stop.CancelAsync();
    }

    /// <summary>
    /// Reads and drops what the client still sends until it answers the close (or a few seconds pass), so the
    /// connection is not reset with unread data, which could cost the client the close frame and its reason.
    /// </summary>
    private async Task DrainUntilClosedAsync(byte[] chunk, CancellationToken ct)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(CloseWait);
        while ((await socket.ReceiveAsync(chunk, patience.Token)).MessageType != WebSocketMessageType.Close)
        {
        }
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string reason, CancellationToken ct)
    {
        // Takes the send turn: a close frame must not interleave with an event being sent.
        await _sending.WaitAsync(ct);
        try
        {
            await socket.CloseOutputAsync(status, reason, ct);
        }
        finally
        {
            _sending.Release();
        }
    }

    /// <summary>
    /// Applies a subscribe/unsubscribe message and answers <c>stream.topics</c> (the topics followed now); a message
    /// that is not one answers <c>stream.error</c> saying why, and changes nothing.
    /// </summary>
    private static ReadOnlyMemory<byte> Apply(LiveSubscription subscription, ReadOnlySpan<byte> message)
    {
        JsonDocument json;
        try
        {
            var reader = new Utf8JsonReader(message);
            json = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return Error($"the message is not JSON: {ex.Message}");
        }
        using (json)
        {
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return Error(Expected);
            var follow = TopicsOf(json.RootElement, "subscribe");
            var unfollow = TopicsOf(json.RootElement, "unsubscribe");
            if ((follow?.Error ?? unfollow?.Error) is { } error)
                return Error(error);
            if (follow is null && unfollow is null)
                return Error(Expected);
            if (follow?.Topics is { } asked && LiveTopics.ProblemOf(asked) is { } unmatchable)
                return Error(unmatchable);
            if (follow?.Topics is { } follows)
                subscription.Follow(follows);
            if (unfollow?.Topics is { } unfollows)
                subscription.Unfollow(unfollows);
            return LiveEvent.Control("stream.topics", new { topics = subscription.Topics });
        }
    }

    private const string Expected = "expected {\"subscribe\": [topics]} or {\"unsubscribe\": [topics]}, topics such as repo:ID or card:ID";

    private sealed record TopicList(IReadOnlyList<string>? Topics, string? Error);

    private static TopicList? TopicsOf(JsonElement message, string property)
    {
        if (!message.TryGetProperty(property, out var list))
            return null;
        if (list.ValueKind != JsonValueKind.Array || list.EnumerateArray().Any(t => t.ValueKind != JsonValueKind.String || t.GetString() is not { Length: > 0 }))
            return new TopicList(null, $"\"{property}\" must be an array of topics (non-empty strings such as repo:ID)");
        return new TopicList([.. list.EnumerateArray().Select(t => t.GetString()!)], null);
    }

    private static ReadOnlyMemory<byte> Error(string error) => LiveEvent.Control("stream.error", new { error });

    public void Dispose() => _sending.Dispose();
}
