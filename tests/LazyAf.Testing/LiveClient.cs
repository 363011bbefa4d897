using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LazyAf.Testing;

/// <summary>A real WebSocket client of the host's <c>/ws</c> live-event stream.</summary>
public sealed class LiveClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();

    // Events that arrived while FollowAsync waited for its acknowledgement, handed out by NextAsync first.
    private readonly Queue<JsonElement> _early = new();

    private LiveClient()
    {
    }

    /// <summary>A topic of the right shape that no event carries: a repo that does not exist.</summary>
    public static readonly string Nowhere = "repo:" + new string('0', 32);

    /// <summary>Another topic no event carries.</summary>
    public static readonly string ElsewhereToo = "card:" + new string('0', 32);

    /// <summary>Connects with the owner's token.</summary>
    public static Task<LiveClient> ConnectAsync(LazyAfHost host, string? topics = null, long? after = null) =>
        ConnectAsync(host, host.OwnerToken, topics, after);

    /// <summary>Connects with <paramref name="token"/> (none when null).</summary>
    public static async Task<LiveClient> ConnectAsync(LazyAfHost host, string? token, string? topics, long? after)
    {
        var query = new List<string>();
        if (topics is not null)
            query.Add("topics=" + Uri.EscapeDataString(topics));
        if (after is not null)
            query.Add($"after={after}");
        var client = new LiveClient();
        if (token is not null)
            client._socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        var url = host.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        await client._socket.ConnectAsync(new Uri(url), CancellationToken.None);
        return client;
    }

    /// <summary>The next message; throws when none arrives in time.</summary>
    public async Task<JsonElement> NextAsync(int timeoutMs = 10_000)
    {
        if (_early.TryDequeue(out var early))
            return early;
        return await ReceiveAsync(timeoutMs);
    }

    /// <summary>Follows more topics and waits until the server says it does: what happens after this is seen.</summary>
    public async Task<IReadOnlyList<string>> FollowAsync(params string[] topics)
    {
        await SendAsync(new { subscribe = topics });
        while (true)
        {
            var message = await ReceiveAsync(10_000);
            if (message.Str("type") == "stream.topics")
                return [.. message.GetProperty("payload").GetProperty("topics").EnumerateArray().Select(t => t.GetString()!)];
            _early.Enqueue(message);
        }
    }

    private async Task<JsonElement> ReceiveAsync(int timeoutMs)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException($"The server closed the stream: {result.CloseStatusDescription}");
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        return JsonDocument.Parse(message.ToArray()).RootElement.Clone();
    }

    /// <summary>Messages until <paramref name="count"/> have arrived.</summary>
    public async Task<List<JsonElement>> TakeAsync(int count)
    {
        var messages = new List<JsonElement>();
        while (messages.Count < count)
            messages.Add(await NextAsync());
        return messages;
    }

    /// <summary>Sends <paramref name="text"/> as one message in frames of <paramref name="frameBytes"/> (one frame when null).</summary>
    public async Task SendTextAsync(string text, int? frameBytes = null)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var size = frameBytes ?? Math.Max(bytes.Length, 1);
        for (var offset = 0; offset < bytes.Length || offset == 0; offset += size)
        {
            var count = Math.Min(size, bytes.Length - offset);
            await _socket.SendAsync(bytes.AsMemory(offset, count), WebSocketMessageType.Text, offset + count >= bytes.Length, CancellationToken.None);
            if (count == 0)
                break;
        }
    }

    /// <summary>Reads (skipping messages) until the server closes the stream, answers the close, and returns its status and reason.</summary>
    public async Task<(WebSocketCloseStatus? Status, string? Reason)> ClosedAsync(int timeoutMs = 10_000)
    {
        using var timeout = new CancellationTokenSource(timeoutMs);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                return (result.CloseStatus, result.CloseStatusDescription);
            }
        }
    }

    public Task SendAsync(object message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, true, CancellationToken.None);

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
            catch (WebSocketException)
            {
            }
        }
        _socket.Dispose();
    }
}
