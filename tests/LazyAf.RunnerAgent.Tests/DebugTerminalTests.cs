using LazyAf.Testing;

namespace LazyAf.RunnerAgent.Tests;

/// <summary>Debug re-runs whose steps run on the Docker agent (a real process): the paused step's terminal is a shell on the agent.</summary>
public sealed class DebugTerminalTests : IAsyncDisposable
{
    private readonly RunnerFleet _fleet = new("lazyaf-runner-debug");

    private RunnerHost Host => _fleet.Host;

    public ValueTask DisposeAsync() => _fleet.DisposeAsync();

    [Fact]
    public async Task A_debug_rerun_pauses_before_a_step_on_the_agent_with_a_shell_in_its_workspace_there_and_resumes_to_passed()
    {
        var stateDir = _fleet.Work.Combine("state-debug");
        _fleet.Start(["--server", Host.RunnerUrl, "--labels", "pool=runner-debug", "--name", "runner-debug", "--state-dir", stateDir, "--token", await Host.RegistrationTokenAsync()],
            AgentProcess.JitBuild("lazyaf-runner"));
        await Host.ConnectedRunnerAsync("pool=runner-debug");
        var debug = await _fleet.WithLogs(RemoteDebugRun.StartAsync(Host.Host, await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "runner-debug"), "pool=runner-debug"));

        await _fleet.WithLogs(debug.ShellOnTheRunnerThenResumeAsync(Path.Combine(stateDir, "work")));
    }
}
