using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

/// <summary>The live terminal over a real WebSocket: a shell on a PTY in the paused step's workspace, with its environment.</summary>
public sealed class TerminalTests : HostPerTest
{
    [Fact]
    public async Task The_terminal_is_a_shell_in_the_paused_steps_workspace_with_its_environment_and_its_token_works_once()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "shell");
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
        Assert.StartsWith(Host.DataDir, dir, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(dir, "marker.txt")), $"{dir} holds no checkout of the repo");
        Assert.Contains("marker.txt", output, StringComparison.Ordinal);
        Assert.Contains("41 123", output, StringComparison.Ordinal);
        Assert.Equal("exit", end.Str("type"));
        Assert.Equal(3, end.GetProperty("code").GetInt32());
        await Eventually.HoldsAsync(async () => (await bench.GetSessionAsync(session)).Str("state") == "waiting", async () => (await bench.GetSessionAsync(session)).ToString());

        // The same token again is refused, on the WebSocket and over plain HTTP.
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(url));
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        await (await Host.CreateClient(null).GetAsync(url)).ProblemAsync(HttpStatusCode.Unauthorized);
        // The run is still paused; resuming ends the session and the run passes.
        await (await Host.Client.PostAsync($"/api/debug/{session}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task Ending_the_session_closes_its_open_terminal_saying_why()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "closed");
        var runId = await bench.RerunAsync("test");
        var session = (await bench.SessionAsync(runId)).Str("id");
        using var socket = await ConnectAsync(await TokenUrlAsync(session));
        await SendAsync(socket, new { type = "input", data = "echo ready-$((40+2))\n" });
        await ReadUntilAsync(socket, "ready-42");

        await (await Host.Client.PostAsync($"/api/debug/{session}/abort", null)).JsonAsync(HttpStatusCode.OK);
        var (_, end) = await ReadToEndAsync(socket);

        Assert.Equal("closed", end.Str("type"));
        Assert.Contains("aborted", end.Str("reason"), StringComparison.Ordinal);
        Assert.Equal("cancelled", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task A_second_terminal_is_refused_while_one_is_open_and_an_ended_session_gives_no_token()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "second");
        var runId = await bench.RerunAsync("test");
        var session = (await bench.SessionAsync(runId)).Str("id");
        using var first = await ConnectAsync(await TokenUrlAsync(session));

        var refused = await Assert.ThrowsAsync<WebSocketException>(async () => await ConnectAsync(await TokenUrlAsync(session)));
        Assert.Contains("409", refused.Message, StringComparison.Ordinal);
        await SendAsync(first, new { type = "input", data = "echo still-$((1+1))\n" });
        await ReadUntilAsync(first, "still-2");

        await (await Host.Client.PostAsync($"/api/debug/{session}/resume", null)).JsonAsync(HttpStatusCode.OK);
        var problem = await (await Host.Client.PostAsync($"/api/debug/{session}/terminal-token", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ended", problem.Str("current_state"));
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task The_sidecar_terminal_sees_what_the_step_left_without_its_variables_or_secrets_and_the_same_sessions_shell_has_them()
    {
        var bench = await ExecTests.FailingCheckAsync(Host, Work, "sidecar");
        var runId = await bench.RerunPausingOnFailureAsync();
        var session = (await bench.SessionAsync(runId)).Str("id");
        const string Variables = "echo \"[$LAZYAF_STEP][$FOO][$API_TOKEN][$LAZYAF_DEBUG]\"; echo \"dir=$(pwd)\"";

        string shellDir;
        using (var shell = await ConnectAsync(await TokenUrlAsync(session) + "&mode=shell"))
        {
            // A file of the workspace that holds a secret: the sidecar shows it masked all the same.
            await SendAsync(shell, new { type = "input", data = $"echo \"$API_TOKEN\" > token.txt; {Variables}; exit\n" });
            var (output, _) = await ReadToEndAsync(shell);
            Assert.Contains("[test][from-the-pipeline][***][]", output, StringComparison.Ordinal);
            shellDir = DirOf(output);
        }
        await Eventually.HoldsAsync(async () => (await bench.GetSessionAsync(session)).Str("state") == "waiting", async () => (await bench.GetSessionAsync(session)).ToString());
        using (var sidecar = await ConnectAsync(await TokenUrlAsync(session) + "&mode=sidecar"))
        {
            await SendAsync(sidecar, new { type = "input", data = $"ls; cat token.txt; {Variables}; exit 6\n" });
            var (output, end) = await ReadToEndAsync(sidecar);

            Assert.Contains("leftover.txt", output, StringComparison.Ordinal);
            Assert.Contains("marker.txt", output, StringComparison.Ordinal);
            Assert.Contains("[][][][sidecar]", output, StringComparison.Ordinal);
            Assert.Contains("***", output, StringComparison.Ordinal);
            Assert.DoesNotContain(ExecTests.Secret, output, StringComparison.Ordinal);
            Assert.Equal(shellDir, DirOf(output));
            Assert.Equal(6, end.GetProperty("code").GetInt32());
        }
        var ran = await (await Host.Client.PostJsonAsync($"/api/debug/{session}/exec", new { command = "cat leftover.txt; echo \"[$LAZYAF_STEP][$API_TOKEN]\"", mode = "sidecar" })).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("left-by-test\n[][]", ran.Str("output"), StringComparison.Ordinal);

        await (await Host.Client.PostAsync($"/api/debug/{session}/abort", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task A_terminal_or_command_of_an_unknown_mode_is_refused_naming_mode_and_the_token_stays_good()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "badmode");
        var runId = await bench.RerunAsync("test");
        var session = (await bench.SessionAsync(runId)).Str("id");
        var url = await TokenUrlAsync(session);

        foreach (var mode in new[] { "bogus", "Shell", "" })
        {
            var problem = await (await Host.CreateClient(null).GetAsync($"{url}&mode={mode}")).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("mode", out _), problem.ToString());
        }
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ConnectAsync(url + "&mode=sidecars"));
        Assert.Contains("400", refused.Message, StringComparison.Ordinal);
        var exec = await (await Host.Client.PostJsonAsync($"/api/debug/{session}/exec", new { command = "true", mode = "helper" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(exec.GetProperty("errors").TryGetProperty("mode", out _), exec.ToString());

        // None of them spent the token: it opens the sidecar now.
        using (var socket = await ConnectAsync(url + "&mode=sidecar"))
        {
            await SendAsync(socket, new { type = "input", data = "echo \"step=[$LAZYAF_STEP] debug=[$LAZYAF_DEBUG]\"; exit\n" });
            Assert.Contains("step=[] debug=[sidecar]", (await ReadToEndAsync(socket)).Output, StringComparison.Ordinal);
        }
        await (await Host.Client.PostAsync($"/api/debug/{session}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    private static string DirOf(string output) => output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("dir=/", StringComparison.Ordinal))[4..];

    private Task<string> TokenUrlAsync(string session) => TerminalSocket.TokenUrlAsync(Host, session);

    private Task<ClientWebSocket> ConnectAsync(string url) => TerminalSocket.ConnectAsync(Host, url);

    private static Task SendAsync(ClientWebSocket socket, object frame) => TerminalSocket.SendAsync(socket, frame);

    private static Task ReadUntilAsync(ClientWebSocket socket, string text) => TerminalSocket.ReadUntilAsync(socket, text);

    private static Task<(string Output, JsonElement End)> ReadToEndAsync(ClientWebSocket socket) => TerminalSocket.ReadToEndAsync(socket);
}
