using LazyAf.Runner.Docker;
using LazyAf.Testing;

namespace LazyAf.RunnerAgent.Tests;

/// <summary>
/// Debug re-runs whose steps run on the Docker agent (a real process): the paused step's terminal is a shell on the
/// agent, or for a docker step a shell in a container of its image with the workspace mounted, and its sidecar one of the
/// agent's --sidecar-image.
/// </summary>
public sealed class DebugTerminalTests : IAsyncLifetime
{
    private readonly RunnerFleet _fleet = new("lazyaf-runner-debug");

    private RunnerHost Host => _fleet.Host;

    // xunit 2 disposes a test class through IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_debug_rerun_pauses_before_a_step_on_the_agent_with_a_shell_in_its_workspace_there_and_resumes_to_passed()
    {
        var stateDir = _fleet.Work.Combine("state-debug");
        _fleet.Start(["--server", Host.RunnerUrl, "--labels", "pool=runner-debug", "--name", "runner-debug", "--state-dir", stateDir, "--token", await Host.RegistrationTokenAsync()],
            AgentProcess.JitBuild("lazyaf-runner"));
        await Host.ConnectedRunnerAsync("pool=runner-debug");
        var debug = await _fleet.WithLogs(RemoteDebugRun.StartAsync(Host.Host, await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "runner-debug"), "pool=runner-debug"));

        await _fleet.WithLogs(debug.ShellOnTheRunnerThenResumeAsync(Path.GetFullPath(Path.Combine(stateDir, "work"))));
    }

    [Fact]
    public async Task Paused_before_a_docker_step_the_terminal_is_a_shell_in_a_container_of_its_image_and_the_sidecar_one_of_the_sidecar_image_both_with_the_workspace_mounted()
    {
        var sidecar = await SidecarImage.EnsureAsync();
        _fleet.Start(["--server", Host.RunnerUrl, "--labels", "pool=docker-debug", "--name", "docker-debug", "--state-dir", _fleet.Work.Combine("state-docker"), "--token", await Host.RegistrationTokenAsync(),
            "--sidecar-image", sidecar], AgentProcess.JitBuild("lazyaf-runner"));
        await Host.ConnectedRunnerAsync("pool=docker-debug");
        var debug = await _fleet.WithLogs(RemoteDebugRun.StartAsync(Host.Host, await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "docker-debug"), "pool=docker-debug", "lazyaf/busybox:test"));

        await _fleet.WithLogs(debug.SidecarOnTheRunnerAsync(DockerStepKind.ContainerWorkspace, SidecarImage.Marker, SidecarImage.MarkerText));
        await _fleet.WithLogs(debug.ShellOnTheRunnerThenResumeAsync(DockerStepKind.ContainerWorkspace));
    }
}
