using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
namespace LazyAf.Testing;

/// <summary>A client of the debug terminal's WebSocket: its token, its frames, and reading its output to the end.</summary>
public static class TerminalSocket
{
    /// <summary>A one-time terminal URL of <paramref name="session"/> (<c>POST /api/debug/{sid}/terminal-token</c>).</summary>
    public static async Task<string> TokenUrlAsync(LazyAfHost host, string session) =>
        (await (await host.Client.PostAsync($"/api/debug/{session}/terminal-token", null)).JsonAsync(HttpStatusCode.OK)).Str("url");

    /// <summary>Opens the terminal's WebSocket at <paramref name="url"/>.</summary>
    public static async Task<ClientWebSocket> ConnectAsync(LazyAfHost host, string url)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await socket.ConnectAsync(new Uri(host.BaseUrl.Replace("http", "ws", StringComparison.Ordinal) + url), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends one JSON control frame (<c>input</c>, <c>resize</c>).</summary>
    public static Task SendAsync(ClientWebSocket socket, object frame) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Reads output until <paramref name="text"/> was seen.</summary>
    public static async Task ReadUntilAsync(ClientWebSocket socket, string text)
    {
        var seen = new StringBuilder();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            var frame = await socket.ReceiveAsync(buffer, timeout.Token);
            seen.Append(Encoding.UTF8.GetString(buffer, 0, frame.Count));
        }
    }

    /// <summary>Reads the terminal's output up to its closing text frame; returns both.</summary>
    public static async Task<(string Output, JsonElement End)> ReadToEndAsync(ClientWebSocket socket)
    {
        var output = new MemoryStream();
        var buffer = new byte[8192];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = new MemoryStream();
            WebSocketReceiveResult frame;
            do
            {
                frame = await socket.ReceiveAsync(buffer, timeout.Token);
                message.Write(buffer, 0, frame.Count);
            } while (!frame.EndOfMessage);
            if (frame.MessageType == WebSocketMessageType.Text)
                return (Encoding.UTF8.GetString(output.ToArray()), JsonDocument.Parse(message.ToArray()).RootElement.Clone());
            if (frame.MessageType == WebSocketMessageType.Close)
                throw new InvalidOperationException($"closed ({frame.CloseStatus}: {frame.CloseStatusDescription}) without an end frame after: {Encoding.UTF8.GetString(output.ToArray())}");
            output.Write(message.ToArray());
        }
    }
}
