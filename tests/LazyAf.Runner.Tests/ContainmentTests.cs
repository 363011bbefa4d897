using LazyAf.Runner.Processes;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

/// <summary>
/// A step's processes are held in its cell (a cgroup, or a marked process group with a parent-death signal): cancel,
/// timeout and the step's end kill every one of them, also those that called setsid or double-forked.
/// </summary>
public sealed class ContainmentTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _data = new("lazyaf-containment");
    private readonly List<StepContainment> _made = [];

    public void Dispose()
    {
        foreach (var containment in _made)
            containment.Dispose();
        _data.Dispose();
    }

    private StepContainment Containment(ContainmentMode mode, string? runAs = null)
    {
        var containment = StepContainment.Create(mode, _data.Path, runAs);
        _made.Add(containment);
        return containment;
    }

    private StepRunnerOptions Options(ContainmentMode mode, string? runAs = null) => new()
    {
        KillGrace = TimeSpan.FromMilliseconds(500),
        Containment = Containment(mode, runAs),
    };

    [Theory]
    [CgroupMode]
    [InlineData(ContainmentMode.ProcessGroup)]
    public async Task Cancel_kills_processes_that_called_setsid_or_double_forked(ContainmentMode mode)
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sleep = ProcessTable.UniqueLongSleep();
        var sink = new RecordingSink();
        using var cancel = new CancellationTokenSource();
        // setsid leaves the step's process group and session; the double fork leaves its process tree.
        var run = bed.RunAsync(bed.Script($"(setsid sleep {sleep} > /dev/null 2>&1 &); (sleep {sleep} > /dev/null 2>&1 &); echo started; sleep {sleep}"), sink, Options(mode), ct: cancel.Token);
        await Eventually.HoldsAsync(() => ProcessTable.Sleeping(sleep).Count == 3, () => $"{ProcessTable.Sleeping(sleep).Count} sleeps; log: {sink.AllText}");

        await cancel.CancelAsync();
        var result = await run;

        Assert.Equal(StepOutcome.Cancelled, result.Outcome);
        Assert.Empty(ProcessTable.Sleeping(sleep));
    }

    [Theory]
    [CgroupMode]
    [InlineData(ContainmentMode.ProcessGroup)]
    public async Task A_timeout_kills_a_process_that_called_setsid(ContainmentMode mode)
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sleep = ProcessTable.UniqueLongSleep();

        var result = await bed.RunAsync(bed.Script($"setsid sleep {sleep} > /dev/null 2>&1 & sleep {sleep}", timeout: TimeSpan.FromSeconds(3)), options: Options(mode));

        Assert.Equal(StepOutcome.TimedOut, result.Outcome);
        Assert.Empty(ProcessTable.Sleeping(sleep));
    }

    [Theory]
    [CgroupMode]
    [InlineData(ContainmentMode.ProcessGroup)]
    public async Task A_process_that_called_setsid_dies_when_its_step_ends(ContainmentMode mode)
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sleep = ProcessTable.UniqueLongSleep();

        var result = await bed.RunAsync(bed.Script($"(setsid sleep {sleep} > /dev/null 2>&1 &); echo left it running"), options: Options(mode));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Empty(ProcessTable.Sleeping(sleep));
    }

    [Theory]
    [CgroupMode]
    public async Task A_step_runs_in_a_cgroup_of_its_own_that_is_removed_when_it_ends(ContainmentMode mode)
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var options = Options(mode);
        var spec = bed.Script("cat /proc/self/cgroup");
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink, options);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(ContainmentMode.Cgroup, options.Containment!.Mode);
        var mount = options.Containment.CgroupRoot!;
        Assert.Contains($"::/lazyaf/{StepContainment.OwnerOf(_data.Path)}/{spec.ExecutionId}\n", sink.Text(LogStream.Stdout), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(mount, spec.ExecutionId)));
    }

    [Fact]
    public async Task Without_cgroups_every_step_process_carries_its_cell_and_the_leader_a_parent_death_signal()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var options = Options(ContainmentMode.ProcessGroup);
        // The script's shell is the group leader setpriv made: its PR_GET_PDEATHSIG (prctl 2) answers SIGKILL (9).
        var spec = bed.Script("echo cell=$LAZYAF_CELL; exec python3 -c 'import ctypes as c; l=c.CDLL(None); v=c.c_int(); l.prctl(2, c.byref(v)); print(\"pdeathsig\", v.value)'");
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink, options);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(ContainmentMode.ProcessGroup, options.Containment!.Mode);
        var stdout = sink.Text(LogStream.Stdout);
        Assert.Contains($"cell={StepContainment.OwnerOf(_data.Path)}/{spec.ExecutionId}\n", stdout, StringComparison.Ordinal);
        Assert.Contains("pdeathsig 9\n", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [CgroupMode]
    [InlineData(ContainmentMode.ProcessGroup)]
    public async Task The_sweep_kills_what_a_dead_runner_left_of_its_steps(ContainmentMode mode)
    {
        var sleep = ProcessTable.UniqueLongSleep();
        var dead = Containment(mode);
        // A step of a runner that died: its cell was never disposed, and its orphan left the group with setsid.
        await using (var cell = dead.Open("exec-dead"))
        {
            var command = new ProcessCommand("sh", ["-c", $"(setsid sleep {sleep} > /dev/null 2>&1 &)"], _data.Path, ProcessCommand.InheritedEnvironment());
            // Forked as the runner forks steps: a thread-pool thread's exit would fire the leader's parent-death signal.
            using var step = await ForkingThread.StartAsync(cell.StartInfo(command));
            await step.WaitForExitAsync();
            // The orphan execs sleep a moment after its parent has gone.
            await Eventually.HoldsAsync(() => ProcessTable.Sleeping(sleep).Count == 1, () => $"{ProcessTable.Sleeping(sleep).Count} sleeps");

            var restarted = Containment(mode);
            var swept = await restarted.SweepAsync();

            Assert.Contains("exec-dead", swept);
            Assert.Empty(ProcessTable.Sleeping(sleep));
            if (restarted.CgroupRoot is { } root)
                Assert.False(Directory.Exists(Path.Combine(root, "exec-dead")));
        }
    }

    [AsRootFact]
    public async Task A_step_runs_as_the_configured_user_and_its_work_is_pushed()
    {
        var user = StepUser.Get();
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        var result = await bed.RunAsync(bed.Script("echo user=$(id -un) uid=$(id -u) home=$HOME; echo by-the-step > made.txt"), sink, Options(ContainmentMode.Auto, StepUser.Name));

        Assert.True(result.Outcome == StepOutcome.Succeeded, sink.AllText);
        Assert.Contains($"user={user.Name} uid={user.Uid} home={user.Home}\n", sink.Text(LogStream.Stdout), StringComparison.Ordinal);
        Assert.Equal("by-the-step", (await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:made.txt")).Trim());
    }

    [AsRootFact]
    public async Task A_step_to_run_as_a_user_who_cannot_reach_its_workspace_fails_with_the_reason()
    {
        _ = StepUser.Get();
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var closed = Path.Combine(_data.Path, "closed");
        Directory.CreateDirectory(closed);
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var workspace = Path.Combine(closed, "workspace");

        var result = await bed.RunAsync(bed.Script("echo never"), options: Options(ContainmentMode.Auto, StepUser.Name), workspace: workspace);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal($"steps run as {StepUser.Name} cannot reach their workspace {workspace}: a directory above it does not let {StepUser.Name} through", result.Error);
    }

    [Fact]
    public void An_unknown_user_to_run_steps_as_is_refused_with_a_reason()
    {
        var refused = Assert.Throws<InvalidOperationException>(() => StepContainment.Create(ContainmentMode.Auto, _data.Path, "no-such-user-here"));

        Assert.Equal("steps cannot run as 'no-such-user-here': it is not a user of this machine", refused.Message);
    }
}
