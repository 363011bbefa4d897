using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

/// <summary>The live terminal over a real WebSocket: a shell on a PTY in the paused step's workspace, with its environment.</summary>
public sealed class TerminalTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;

    public Task InitializeAsync()
    {
        _host = LazyAfHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task The_terminal_is_a_shell_in_the_paused_steps_workspace_with_its_environment_and_its_token_works_once()
    {
        var bench = await DebugBench.CreateAsync(_host, _work, "shell");
        var runId = await bench.RerunAsync("test");
        var session = (await bench.SessionAsync(runId)).Str("id");
        var url = await TokenUrlAsync(session);

        using var socket = await ConnectAsync(url);
        Assert.Equal("connected", (await bench.GetSessionAsync(session)).Str("state"));
        await SendAsync(socket, new { type = "resize", cols = 123, rows = 41 });
        await SendAsync(socket, new { type = "input", data = "echo \"foo=$FOO\"; echo \"dir=$(pwd)\"; ls; stty size; exit 3\n" });
        var (output, end) = await ReadToEndAsync(socket);

        Assert.Contains("foo=from-the-pipeline", output, StringComparison.Ordinal);
        var dir = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("dir=/", StringComparison.Ordinal))[4..];
        Assert.StartsWith(_host.DataDir, dir, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "marker.txt")), $"{dir} holds no checkout of the repo");
        Assert.Contains("marker.txt", output, StringComparison.Ordinal);
        Assert.Contains("41 123", output, StringComparison.Ordinal);
        Assert.Equal("exit", end.Str("type"));
        Assert.Equal(3, end.GetProperty("code").GetInt32());
        await Eventually.HoldsAsync(async () => (await bench.GetSessionAsync(session)).Str("state") == "waiting", async () => (await bench.GetSessionAsync(session)).ToString());

        // The same token again is refused, on the WebSocket and over plain HTTP.
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(url));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        await (await _host.CreateClient(null).GetAsync(url)).ProblemAsync(HttpStatusCode.Unauthorized);
        // The run is still paused; resuming ends the session and the run passes.
        await (await _host.Client.PostAsync($"/api/debug/{session}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task Ending_the_session_closes_its_open_terminal_saying_why()
    {
        var bench = await DebugBench.CreateAsync(_host, _work, "closed");
        var runId = await bench.RerunAsync("test");
        var session = (await bench.SessionAsync(runId)).Str("id");
        using var socket = await ConnectAsync(await TokenUrlAsync(session));
        await SendAsync(socket, new { type = "input", data = "echo ready-$((40+2))\n" });
        await ReadUntilAsync(socket, "ready-42");

        await (await _host.Client.PostAsync($"/api/debug/{session}/abort", null)).JsonAsync(HttpStatusCode.OK);
        var (_, end) = await ReadToEndAsync(socket);

        Assert.Equal("closed", end.Str("type"));
        Assert.Contains("aborted", end.Str("reason"), StringComparison.Ordinal);
        Assert.Equal("cancelled", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task A_second_terminal_is_refused_while_one_is_open_and_an_ended_session_gives_no_token()
    {
        var bench = await DebugBench.CreateAsync(_host, _work, "second");
        var runId = await bench.RerunAsync("test");
        var session = (await bench.SessionAsync(runId)).Str("id");
        using var first = await ConnectAsync(await TokenUrlAsync(session));

        var refused = await Assert.ThrowsAsync<WebSocketException>(async () => await ConnectAsync(await TokenUrlAsync(session)));
        Assert.Contains("409", refused.Message, StringComparison.Ordinal);
        await SendAsync(first, new { type = "input", data = "echo still-$((1+1))\n" });
        await ReadUntilAsync(first, "still-2");

        await (await _host.Client.PostAsync($"/api/debug/{session}/resume", null)).JsonAsync(HttpStatusCode.OK);
        var problem = await (await _host.Client.PostAsync($"/api/debug/{session}/terminal-token", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ended", problem.Str("current_state"));
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    private async Task<string> TokenUrlAsync(string session) =>
        (await (await _host.Client.PostAsync($"/api/debug/{session}/terminal-token", null)).JsonAsync(HttpStatusCode.OK)).Str("url");

    private async Task<ClientWebSocket> ConnectAsync(string url)
    {
        var socket = new ClientWebSocket();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await socket.ConnectAsync(new Uri(_host.BaseUrl.Replace("http", "ws", StringComparison.Ordinal) + url), timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static Task SendAsync(ClientWebSocket socket, object frame) =>
        socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task ReadUntilAsync(ClientWebSocket socket, string text)
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
    private static async Task<(string Output, JsonElement End)> ReadToEndAsync(ClientWebSocket socket)
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
