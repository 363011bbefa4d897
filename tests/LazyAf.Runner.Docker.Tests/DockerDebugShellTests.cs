using System.Text;
using LazyAf.Runner.Terminals;
using LazyAf.Testing;

namespace LazyAf.Runner.Docker.Tests;

/// <summary>A docker step's debug shells on the real engine: its sidecar, and the labelled containers a host that died leaves.</summary>
public sealed class DockerDebugShellTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private const string Secret = "sidecar-secret-value";

    [Fact]
    public async Task A_docker_steps_sidecar_is_a_container_of_the_sidecar_image_with_its_workspace_and_none_of_its_variables()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var runner = new StepRunner([new DockerStepKind(new DockerStepOptions { SidecarImage = await SidecarImage.EnsureAsync() })]);
        var step = bed.Docker("true", env: new() { ["FOO"] = "from-the-step" }, secrets: new() { ["API_TOKEN"] = Secret });
        Directory.CreateDirectory(bed.Workspace);
        await File.WriteAllTextAsync(Path.Combine(bed.Workspace, "left.txt"), "left-by-the-step\n");
        var prepared = StepRunner.EnvironmentOf(step, bed.Workspace);

        var sidecar = runner.SidecarShellOf(step, bed.Workspace, prepared);
        var seen = await ShellAsync(sidecar, $"cat {SidecarImage.Marker}; cat left.txt; echo \"[$FOO][$API_TOKEN][$LAZYAF_WORKSPACE][$LAZYAF_DEBUG]\"\rexit\r");
        // The step's own shell, for contrast: its image, its variables.
        var shell = await ShellAsync(runner.DebugShellOf(step, bed.Workspace, prepared), $"cat {SidecarImage.Marker} 2>/dev/null || echo no-$((0+1))-marker; echo \"[$FOO]\"\rexit\r");

        Assert.Contains(SidecarImage.MarkerText, seen, StringComparison.Ordinal);
        Assert.Contains("left-by-the-step", seen, StringComparison.Ordinal);
        Assert.Contains("[][][/workspace][sidecar]", seen, StringComparison.Ordinal);
        // Not even on the docker CLI's side: no secret in its environment or on its command line.
        Assert.DoesNotContain(Secret, sidecar.Environment.Values);
        Assert.DoesNotContain(sidecar.Program, a => a.Contains("API_TOKEN", StringComparison.Ordinal) || a.Contains("FOO", StringComparison.Ordinal));
        Assert.Contains("no-1-marker", shell, StringComparison.Ordinal);
        Assert.Contains("[from-the-step]", shell, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_debug_commands_container_carries_its_runs_label_and_goes_as_a_leftover_of_that_run_while_another_runs_stays()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var kind = new DockerStepKind(new DockerStepOptions());
        var runId = "run-" + Guid.NewGuid().ToString("N")[..8];
        var step = bed.Docker("true", runId: runId);
        Directory.CreateDirectory(bed.Workspace);
        var command = kind.DebugShell(step, bed.Workspace, StepRunner.EnvironmentOf(step, bed.Workspace)).Running("echo started-$((1+2)); sleep 300");
        await using var terminal = PseudoTerminal.Start(command, 80, 24);
        await ReadUntilAsync(terminal, "started-3");
        var others = await DockerTestBed.DockerCliAsync("run", "-d", "--label", $"{DockerStepKind.DebugLabel}=run-other-{Guid.NewGuid():N}", DockerTestBed.Image, "sleep", "300");
        try
        {
            Assert.Single(await LabelledAsync(runId));

            // What a host that died mid-command left; a new environment of the run removes it (and the command ends with it).
            await kind.RemoveLeftoverShellsAsync(step, CancellationToken.None);

            Assert.Empty(await LabelledAsync(runId));
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Assert.NotEqual(0, await terminal.ExitedAsync(patience.Token));
            Assert.Equal(others[..12], await DockerTestBed.DockerCliAsync("ps", "-q", "--filter", $"id={others}"));
        }
        finally
        {
            await DockerTestBed.DockerCliAsync("rm", "-f", others);
        }
    }

    [Fact]
    public async Task A_container_shells_terminal_is_resized_by_the_engine_too_not_only_by_a_sigwinch_the_docker_cli_may_not_be_listening_for_yet()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var step = bed.Docker("true");
        Directory.CreateDirectory(bed.Workspace);
        var shell = new DockerStepKind(new DockerStepOptions()).DebugShell(step, bed.Workspace, StepRunner.EnvironmentOf(step, bed.Workspace));
        await using var terminal = PseudoTerminal.Start(shell, 80, 24);
        // Up once the docker CLI sized the container from the terminal (as it does once, after starting it), so that
        // nothing of the CLI's comes after the engine's resize.
        await terminal.Input.WriteAsync(Encoding.ASCII.GetBytes("until [ \"$(stty size)\" = \"24 80\" ]; do sleep 0.1; done; echo up-$((1+1))\r"));
        await ReadUntilAsync(terminal, "up-2");

        // The pseudo-terminal keeps its size (no SIGWINCH): only the engine can have told the container.
        Assert.NotNull(shell.Resized);
        await shell.Resized(111, 33, CancellationToken.None);
        await terminal.Input.WriteAsync(Encoding.ASCII.GetBytes("echo size-$(stty size | tr ' ' x)\r"));

        await ReadUntilAsync(terminal, "size-33x111");
    }

    private static async Task<string[]> LabelledAsync(string runId) =>
        (await DockerTestBed.DockerCliAsync("ps", "-a", "-q", "--filter", $"label={DockerStepKind.DebugLabel}={runId}")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static async Task ReadUntilAsync(PseudoTerminal terminal, string text)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            // A read of the terminal cannot be cancelled; the wait for it can.
            var read = await terminal.ReadAsync(buffer, CancellationToken.None).AsTask().WaitAsync(patience.Token);
            Assert.True(read > 0, $"the command ended before printing {text}: {seen}");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    /// <summary>Runs the shell on a pseudo-terminal, types <paramref name="keys"/> and reads it to its end.</summary>
    private static async Task<string> ShellAsync(DebugShell shell, string keys)
    {
        await using var terminal = PseudoTerminal.Start(shell, 80, 24);
        await terminal.Input.WriteAsync(Encoding.ASCII.GetBytes(keys));
        await terminal.Input.FlushAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        int read;
        while ((read = await terminal.ReadAsync(buffer, patience.Token)) > 0)
            seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
        Assert.Equal(0, await terminal.ExitedAsync(patience.Token));
        return seen.ToString();
    }
}
