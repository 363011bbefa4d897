using System.Net;
using LazyAf.Testing;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// Debug re-runs whose steps run on the native agent (a real process over loopback gRPC): the paused step's terminal is
/// a shell (or its sidecar) on the agent, relayed through the host's WebSocket; an agent that dies under it ends the session.
/// </summary>
public sealed class DebugTerminalTests : IAsyncLifetime
{
    private readonly RunnerFleet _fleet = new("lazyaf-native-debug");

    private RunnerHost Host => _fleet.Host;

    // xunit 2 disposes a test class through IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_debug_rerun_pauses_before_a_step_on_the_agent_with_a_shell_and_a_sidecar_in_its_workspace_there_and_resumes_to_passed()
    {
        var stateDir = _fleet.Work.Combine("state-debug");
        await StartAgentAsync("pool=native-debug", stateDir);
        var debug = await _fleet.WithLogs(RemoteDebugRun.StartAsync(Host.Host, await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "native-debug"), "pool=native-debug"));

        await _fleet.WithLogs(debug.SidecarOnTheRunnerAsync(Path.GetFullPath(Path.Combine(stateDir, "work"))));
        await _fleet.WithLogs(debug.ShellOnTheRunnerThenResumeAsync(Path.GetFullPath(Path.Combine(stateDir, "work"))));
    }

    [Fact]
    public async Task An_agent_that_dies_under_an_open_terminal_closes_it_saying_so_and_the_session_ends_aborting_the_run()
    {
        var agent = await StartAgentAsync("pool=native-dies", _fleet.Work.Combine("state-dies"));
        var debug = await _fleet.WithLogs(RemoteDebugRun.StartAsync(Host.Host, await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "native-dies"), "pool=native-dies"));
        var session = (await debug.SessionAsync()).Str("id");
        using var socket = await TerminalSocket.ConnectAsync(Host.Host, await TerminalSocket.TokenUrlAsync(Host.Host, session));
        await TerminalSocket.SendAsync(socket, new { type = "input", data = "echo alive-$((20+1))\n" });
        await TerminalSocket.ReadUntilAsync(socket, "alive-21");

        agent.KillHard();
        var (_, end) = await TerminalSocket.ReadToEndAsync(socket);

        Assert.Equal("closed", end.Str("type"));
        Assert.Contains("lost", end.Str("reason"), StringComparison.Ordinal);
        var ended = await debug.SessionAsync("ended");
        Assert.Contains("lost", ended.Str("end_reason"), StringComparison.Ordinal);
        Assert.Equal("cancelled", (await debug.Runs.SettledAsync(debug.RunId)).Str("state"));
        // Over, it opens no terminal any more.
        await (await Host.Api.PostAsync($"/api/debug/{session}/terminal-token", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_paused_steps_workspace_is_deleted_by_the_agent_once_idle_after_the_host_went_away_without_releasing_it()
    {
        var stateDir = _fleet.Work.Combine("state-idle");
        // Three seconds idle: a terminal open holds the workspace; once the host is gone nothing does.
        var agent = await StartAgentAsync("pool=native-idle", stateDir, "--debug-idle-minutes", "0.05");
        var debug = await _fleet.WithLogs(RemoteDebugRun.StartAsync(Host.Host, await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "native-idle"), "pool=native-idle"));
        var workspace = Path.Combine(stateDir, "work", "run-" + debug.RunId);
        var session = (await debug.SessionAsync()).Str("id");
        var socket = await TerminalSocket.ConnectAsync(Host.Host, await TerminalSocket.TokenUrlAsync(Host.Host, session));
        await TerminalSocket.SendAsync(socket, new { type = "input", data = "echo kept > kept.txt; sleep 4; echo held-$((3+4))\n" });
        // Longer than the idle time with the terminal open: still there.
        await TerminalSocket.ReadUntilAsync(socket, "held-7");
        Assert.True(File.Exists(Path.Combine(workspace, "built.txt")), $"the workspace went under an open terminal:\n{agent.Log}");

        await Host.DisposeAsync();
        socket.Dispose();

        await Eventually.HoldsAsync(() => !Directory.Exists(workspace), () => $"{workspace} still there:\n{agent.Log}", TimeSpan.FromSeconds(60));
        Assert.Contains("its workspace", (await agent.WaitForLogAsync(new System.Text.RegularExpressions.Regex("idle for .*: its workspace .* is removed"))).Value, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("soon")]
    [InlineData("NaN")]
    public async Task A_debug_idle_time_that_is_not_a_positive_number_of_minutes_is_refused(string minutes)
    {
        var agent = _fleet.Start(["--server", Host.RunnerUrl, "--debug-idle-minutes", minutes]);

        // A bad command line is the agent's bad setup (exit 1), with the usage.
        Assert.Equal(1, await agent.ExitCodeAsync());
        Assert.Contains("--debug-idle-minutes", agent.Log, StringComparison.Ordinal);
    }

    private async Task<AgentProcess> StartAgentAsync(string labels, string stateDir, params string[] extra)
    {
        var agent = _fleet.Start(["--server", Host.RunnerUrl, "--labels", labels, "--name", labels, "--state-dir", stateDir, "--token", await Host.RegistrationTokenAsync(), .. extra]);
        await Host.ConnectedRunnerAsync(labels);
        return agent;
    }
}
