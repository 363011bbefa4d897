using System.Diagnostics;
using LazyAf.Testing;

namespace LazyAf.Runner.Docker.Tests;

public sealed class DockerKillTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private static readonly Uri Engine = new DockerStepOptions().Endpoint;

    [Fact]
    public async Task Cancel_kills_and_removes_the_container_within_seconds_and_pushes_nothing()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        var spec = bed.Docker("echo work > work.txt; echo started; sleep 60");
        using var cancel = new CancellationTokenSource();
        var run = bed.RunAsync(spec, sink, ct: cancel.Token);
        await Eventually.HoldsAsync(() => sink.Text(LogStream.Stdout).Contains("started", StringComparison.Ordinal), () => sink.Text(LogStream.System));
        var running = Assert.Single(await DockerStepKind.FindRunningAsync(Engine, spec.ExecutionId, CancellationToken.None));
        Assert.Equal("running", running.State);

        var cancelled = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var result = await run;

        Assert.Equal(StepOutcome.Cancelled, result.Outcome);
        Assert.Equal("cancelled", result.Error);
        Assert.InRange(cancelled.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(5));
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
        Assert.Null(await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task A_container_past_its_timeout_is_killed_removed_and_times_out()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Docker("sleep 60", timeout: TimeSpan.FromSeconds(3));
        var started = Stopwatch.StartNew();

        var result = await bed.RunAsync(spec, new RecordingSink());

        Assert.Equal(StepOutcome.TimedOut, result.Outcome);
        Assert.Equal("timed out after 00:00:03", result.Error);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(10));
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
        Assert.Null(await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task Memory_and_cpu_limits_are_applied_to_the_container()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        // cgroup v2 shows the limit in memory.max, v1 in memory/memory.limit_in_bytes.
        var spec = bed.Docker("cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; echo listed; sleep 60",
            memory: "64m", cpus: 0.5);
        using var cancel = new CancellationTokenSource();
        var run = bed.RunAsync(spec, sink, ct: cancel.Token);
        await Eventually.HoldsAsync(() => sink.Text(LogStream.Stdout).Contains("listed", StringComparison.Ordinal), () => sink.Text(LogStream.System) + sink.Text(LogStream.Stderr));

        var id = Assert.Single(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
        var limits = await DockerTestBed.DockerCliAsync("inspect", "--format", "{{.HostConfig.Memory}} {{.HostConfig.NanoCpus}}", id);
        await cancel.CancelAsync();
        await run;

        Assert.Equal("67108864 500000000", limits);
        Assert.Equal("67108864\nlisted\n", sink.Text(LogStream.Stdout));
    }
}
