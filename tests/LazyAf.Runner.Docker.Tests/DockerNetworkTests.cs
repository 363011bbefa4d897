using LazyAf.Testing;

namespace LazyAf.Runner.Docker.Tests;

/// <summary>The bridge network of a pipeline run (or of a step outside one) on the real engine.</summary>
public sealed class DockerNetworkTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    // Waits (up to a minute) until the test puts a file named "stop" into the workspace.
    private const string UntilStopped = "i=0; while [ ! -e stop ] && [ $i -lt 600 ]; do sleep 0.1; i=$((i+1)); done; rm -f stop";

    [Fact]
    public async Task Two_steps_of_one_pipeline_run_share_its_network_find_each_other_by_name_and_it_is_gone_after_the_run()
    {
        await using var first = await DockerTestBed.CreateAsync(fixture.Host);
        await using var second = await DockerTestBed.CreateAsync(fixture.Host);
        var runId = "run-" + Guid.NewGuid().ToString("N")[..8];
        var network = $"lazyaf-run-{runId}";
        var waiting = first.Docker(UntilStopped, runId: runId);
        var running = first.RunAsync(waiting, new RecordingSink());
        var firstContainer = await RunningContainerAsync(waiting.ExecutionId);

        var sink = new RecordingSink();
        var looking = second.Docker($"busybox nslookup {firstContainer.Name} 2>&1", runId: runId);
        var looked = await second.RunAsync(looking, sink);
        Assert.True(await DockerTestBed.NetworkExistsAsync(network), "the run's network went while a step of it ran");
        await File.WriteAllTextAsync(Path.Combine(first.Workspace, "stop"), "");
        var waited = await running;

        Assert.Equal(StepOutcome.Succeeded, looked.Outcome);
        Assert.Equal(network, firstContainer.Network);
        Assert.Contains($"network {network})", sink.Text(LogStream.System), StringComparison.Ordinal);
        // The engine's DNS on the run's network knows the other step's container by its name.
        Assert.Matches($"Name:\\s*{firstContainer.Name}", sink.Text(LogStream.Stdout));
        Assert.Equal(StepOutcome.Succeeded, waited.Outcome);
        Assert.False(await DockerTestBed.NetworkExistsAsync(network), "the run's network is still there after its steps ended");
    }

    [Fact]
    public async Task A_step_outside_a_run_has_a_network_of_its_own_removed_when_it_ends()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Docker(UntilStopped);
        var network = $"lazyaf-step-{spec.ExecutionId}";
        var run = bed.RunAsync(spec, new RecordingSink());

        var container = await RunningContainerAsync(spec.ExecutionId);
        Assert.Equal(network, container.Network);
        Assert.True(await DockerTestBed.NetworkExistsAsync(network));
        await File.WriteAllTextAsync(Path.Combine(bed.Workspace, "stop"), "");

        Assert.Equal(StepOutcome.Succeeded, (await run).Outcome);
        Assert.False(await DockerTestBed.NetworkExistsAsync(network));
    }

    [Fact]
    public async Task A_cancelled_step_removes_its_network_with_its_container()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        using var cancel = new CancellationTokenSource();
        var spec = bed.Docker("sleep 120");
        var network = $"lazyaf-step-{spec.ExecutionId}";
        var run = bed.RunAsync(spec, new RecordingSink(), ct: cancel.Token);
        await RunningContainerAsync(spec.ExecutionId);

        await cancel.CancelAsync();

        Assert.Equal(StepOutcome.Cancelled, (await run).Outcome);
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
        Assert.False(await DockerTestBed.NetworkExistsAsync(network));
    }

    [Fact]
    public async Task A_debug_shell_of_a_docker_step_joins_its_runs_network_while_the_run_has_one_and_opens_without_it_after()
    {
        await using var first = await DockerTestBed.CreateAsync(fixture.Host);
        await using var paused = await DockerTestBed.CreateAsync(fixture.Host);
        var runId = "run-" + Guid.NewGuid().ToString("N")[..8];
        var waiting = first.Docker(UntilStopped, runId: runId);
        var running = first.RunAsync(waiting, new RecordingSink());
        var firstContainer = await RunningContainerAsync(waiting.ExecutionId);
        var kind = new DockerStepKind(new DockerStepOptions());
        var step = paused.Docker("true", runId: runId);
        Directory.CreateDirectory(paused.Workspace);
        var shell = kind.DebugShell(step, paused.Workspace, StepRunner.EnvironmentOf(step, paused.Workspace));

        // The engine's DNS answers for the run's containers only on the run's network.
        var looked = await ShellAsync(shell, $"nslookup {firstContainer.Name} >/dev/null 2>&1 && echo found-$((40+2)) || echo not-found\rexit\r");
        await File.WriteAllTextAsync(Path.Combine(first.Workspace, "stop"), "");
        Assert.Equal(StepOutcome.Succeeded, (await running).Outcome);
        var alone = await ShellAsync(shell, $"nslookup {firstContainer.Name} >/dev/null 2>&1 && echo found-$((40+2)) || echo not-$((0+1))-found\rexit\r");

        Assert.Contains("found-42", looked, StringComparison.Ordinal);
        Assert.False(await DockerTestBed.NetworkExistsAsync($"lazyaf-run-{runId}"), "the debug shell left the run's network behind");
        Assert.Contains("not-1-found", alone, StringComparison.Ordinal);
    }

    /// <summary>Runs the debug shell on a pseudo-terminal, types <paramref name="keys"/> and reads it to its end.</summary>
    private static async Task<string> ShellAsync(LazyAf.Runner.Terminals.DebugShell shell, string keys)
    {
        await using var terminal = LazyAf.Runner.Terminals.PseudoTerminal.Start(shell, 80, 24);
        await terminal.Input.WriteAsync(System.Text.Encoding.ASCII.GetBytes(keys));
        await terminal.Input.FlushAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new System.Text.StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await terminal.ReadAsync(buffer, patience.Token)) > 0)
            seen.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
        Assert.Equal(0, await terminal.ExitedAsync(patience.Token));
        return seen.ToString();
    }

    /// <summary>The execution's container once it runs, with its name and the network its label names.</summary>
    private static async Task<(string Name, string? Network)> RunningContainerAsync(string executionId)
    {
        ManagedContainer? found = null;
        await Eventually.HoldsAsync(
            () => (found = DockerStepKind.FindRunningAsync(new DockerStepOptions().Endpoint, executionId, CancellationToken.None).GetAwaiter().GetResult() is [var one, ..] ? one : null) is not null,
            () => $"no running container of {executionId}",
            TimeSpan.FromSeconds(60));
        var name = (await DockerTestBed.DockerCliAsync("inspect", "--format", "{{.Name}}", found!.Id)).TrimStart('/');
        return (name, found.Network);
    }
}
