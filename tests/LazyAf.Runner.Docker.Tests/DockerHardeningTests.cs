using System.Diagnostics;
using System.Globalization;
using LazyAf.Testing;

namespace LazyAf.Runner.Docker.Tests;

/// <summary>What a docker step's container may not do, and may use, on the real engine (cgroup v1 or v2).</summary>
public sealed class DockerHardeningTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    // Bit numbers of linux/capability.h.
    private static readonly Dictionary<string, int> CapabilityBits = new()
    {
        ["CHOWN"] = 0, ["DAC_OVERRIDE"] = 1, ["FOWNER"] = 3, ["FSETID"] = 4, ["KILL"] = 5, ["SETGID"] = 6, ["SETUID"] = 7, ["NET_BIND_SERVICE"] = 10,
    };

    // The same line on cgroup v2 (one file) and v1 (a file per controller).
    private const string ReadLimits =
        "echo memory=$(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes); " +
        "echo pids=$(cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max); " +
        "echo cpu=$(cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo $(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us))";

    private const string TryMount = "mkdir -p /tmp/m; if busybox mount -t tmpfs none /tmp/m 2>mount.err; then echo mount=ok; else echo mount=refused: $(cat mount.err); fi; rm -f mount.err";

    [Fact]
    public async Task A_step_sees_no_engine_socket_cannot_mount_keeps_only_the_documented_capabilities_and_gains_no_privileges()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        var spec = bed.Docker($"if [ -e /var/run/docker.sock ]; then echo socket=there; else echo socket=none; fi; {TryMount}; grep -E '^(CapEff|NoNewPrivs)' /proc/self/status");

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var lines = Lines(sink.Text(LogStream.Stdout));
        Assert.Equal("none", lines["socket"]);
        // EPERM: busybox says "permission denied" for it.
        Assert.StartsWith("refused: mount: permission denied", lines["mount"], StringComparison.Ordinal);
        var expected = DockerStepKind.Capabilities.Aggregate(0L, (mask, cap) => mask | (1L << CapabilityBits[cap]));
        Assert.Equal(expected, long.Parse(lines["CapEff"], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal("1", lines["NoNewPrivs"]);
        Assert.Contains("no-new-privileges", sink.Text(LogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hosts_caps_are_the_containers_memory_pids_and_cpu_limits_by_default()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        var options = new DockerStepOptions { Memory = 96L << 20, Cpus = 0.5, PidsLimit = 48 };

        var result = await bed.RunAsync(bed.Docker(ReadLimits), sink, options);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var lines = Lines(sink.Text(LogStream.Stdout));
        Assert.Equal((96L << 20).ToString(CultureInfo.InvariantCulture), lines["memory"]);
        Assert.Equal("48", lines["pids"]);
        Assert.Equal(0.5, CpuShare(lines["cpu"]));
        Assert.Contains("(memory 96m, cpus 0.5, pids 48;", sink.Text(LogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_caps_are_set()
    {
        var defaults = new DockerStepOptions();

        Assert.Equal(2L << 30, defaults.Memory);
        Assert.Equal(Math.Min(2, Environment.ProcessorCount), defaults.Cpus);
        Assert.Equal(512, defaults.PidsLimit);
    }

    [Fact]
    public async Task A_step_may_ask_for_less_than_the_caps()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        var options = new DockerStepOptions { Memory = 96L << 20, Cpus = 1, PidsLimit = 48 };

        var result = await bed.RunAsync(bed.Docker(ReadLimits, memory: "32m", cpus: 0.25), sink, options);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var lines = Lines(sink.Text(LogStream.Stdout));
        Assert.Equal((32L << 20).ToString(CultureInfo.InvariantCulture), lines["memory"]);
        Assert.Equal(0.25, CpuShare(lines["cpu"]));
    }

    [Theory]
    [InlineData("1g", null, "memory '1g' is above the 96m this host allows a docker step (Execution:Docker:Memory)")]
    [InlineData(null, 1.5, "cpus '1.5' is above the 1 this host allows a docker step (Execution:Docker:Cpus)")]
    public async Task A_step_that_asks_for_more_than_a_cap_fails_before_any_container_starts(string? memory, double? cpus, string error)
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var options = new DockerStepOptions { Memory = 96L << 20, Cpus = 1 };
        var spec = bed.Docker("echo never", memory: memory, cpus: cpus);

        var result = await bed.RunAsync(spec, new RecordingSink(), options);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal(error, result.Error);
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
        Assert.False(await DockerTestBed.NetworkExistsAsync($"lazyaf-step-{spec.ExecutionId}"));
    }

    [Fact]
    public async Task A_fork_bomb_stops_at_the_pids_limit_and_ends_the_step_not_the_machine()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        var options = new DockerStepOptions { PidsLimit = 32 };
        // Bounded: 2^12 leaves wanted, each living a second; the limit lets some 30 be at once.
        // In a subshell: ash exits 2 where a fork fails, and the step's own shell must live to say so.
        var spec = bed.Docker("f() { if [ \"$1\" -gt 0 ]; then f $(($1-1)) & f $(($1-1)) & wait; else sleep 1; fi; }; (f 12); echo bomb over; exit 9",
            timeout: TimeSpan.FromSeconds(120));
        var started = Stopwatch.StartNew();

        var result = await bed.RunAsync(spec, sink, options);

        Assert.True(result.ExitCode == 9, $"exit {result.ExitCode}: {sink.Text(LogStream.Stdout)}");
        Assert.Contains("can't fork", sink.Text(LogStream.Stderr), StringComparison.Ordinal);
        Assert.Contains("bomb over", sink.Text(LogStream.Stdout), StringComparison.Ordinal);
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(100));
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
        // The machine still forks.
        using var echo = Process.Start(new ProcessStartInfo("sh", ["-c", "echo still here"]) { RedirectStandardOutput = true })!;
        Assert.Equal("still here", (await echo.StandardOutput.ReadToEndAsync()).Trim());
    }

    [Fact]
    public async Task An_endless_fork_bomb_is_held_at_the_pids_limit_until_the_timeout_ends_the_step()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var options = new DockerStepOptions { PidsLimit = 24, Cpus = 0.5 };
        // The step's shell becomes one sleep (exec forks nothing) and holds the container while the bomb churns:
        // a shell that forked to wait would itself hit the limit and end the step early as failed.
        var spec = bed.Docker("(b() { b | b & }; b) & exec sleep 3600", timeout: TimeSpan.FromSeconds(4));

        var result = await bed.RunAsync(spec, new RecordingSink(), options);

        Assert.Equal(StepOutcome.TimedOut, result.Outcome);
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
    }

    [Fact]
    public async Task A_privileged_step_has_every_capability_and_may_mount()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        var result = await bed.RunAsync(bed.Docker($"{TryMount}; grep -E '^CapEff' /proc/self/status", privileged: true), sink);

        Assert.Contains("; privileged;", sink.Text(LogStream.System), StringComparison.Ordinal);
        if (!await DockerTestBed.EngineRunsPrivilegedAsync())
        {
            // An engine that is itself confined (a sandbox's) cannot grant every capability: the engine's refusal shows
            // the container was asked for them, where an unprivileged one starts.
            Assert.Equal(StepOutcome.Failed, result.Outcome);
            Assert.Contains("caps", result.Error, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var lines = Lines(sink.Text(LogStream.Stdout));
        Assert.Equal("ok", lines["mount"]);
        // Every capability the kernel has: far more than the kept few, CAP_SYS_ADMIN (21) among them.
        Assert.NotEqual(0, long.Parse(lines["CapEff"], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1L << 21));
    }

    [Fact]
    public async Task A_docker_socket_step_reaches_the_engine_through_its_socket()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        var result = await bed.RunAsync(bed.Docker("if [ -S /var/run/docker.sock ]; then echo socket=there; else echo socket=none; fi", dockerSocket: true), sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal("there", Lines(sink.Text(LogStream.Stdout))["socket"]);
    }

    [Fact]
    public async Task A_docker_socket_step_on_an_engine_without_a_unix_socket_fails_with_the_reason()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var options = new DockerStepOptions { Endpoint = new Uri("tcp://127.0.0.1:1") };

        var result = await bed.RunAsync(bed.Docker("echo never", dockerSocket: true), new RecordingSink(), options);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal("docker_socket needs the engine on a unix socket; this host's is at tcp://127.0.0.1:1/", result.Error);
    }

    /// <summary><c>key=value</c> and <c>Key:\tvalue</c> lines of the output.</summary>
    private static Dictionary<string, string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(line.Contains('=', StringComparison.Ordinal) && !line.StartsWith("Cap", StringComparison.Ordinal) ? '=' : ':', 2))
            .Where(parts => parts.Length == 2)
            .ToDictionary(parts => parts[0].Trim(), parts => parts[1].Trim(), StringComparer.Ordinal);

    /// <summary>CPUs from <c>QUOTA PERIOD</c> (cgroup v2's <c>cpu.max</c>, or v1's two files).</summary>
    private static double CpuShare(string quotaAndPeriod)
    {
        var parts = quotaAndPeriod.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return double.Parse(parts[0], CultureInfo.InvariantCulture) / double.Parse(parts[1], CultureInfo.InvariantCulture);
    }
}
