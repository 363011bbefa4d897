using System.Diagnostics;
using LazyAf.Runner.Processes;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

public sealed class KillTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task Cancel_kills_the_whole_process_tree_and_pushes_nothing()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sleep = ProcessTable.UniqueLongSleep();
        var sink = new RecordingSink();
        using var cancel = new CancellationTokenSource();
        // A background child, an orphaned grandchild and a foreground sleep: all must go.
        var run = bed.RunAsync(bed.Script($"echo work > work.txt; sleep {sleep} & (sleep {sleep} &); echo started; sleep {sleep}"), sink, ct: cancel.Token);
        await Eventually.HoldsAsync(() => ProcessTable.Sleeping(sleep).Count == 3, () => $"{ProcessTable.Sleeping(sleep).Count} sleeps; log: {sink.AllText}");

        await cancel.CancelAsync();
        var result = await run;

        Assert.Equal(StepOutcome.Cancelled, result.Outcome);
        Assert.Equal("cancelled", result.Error);
        Assert.Empty(ProcessTable.WithMarker(sleep));
        Assert.Null(await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task A_step_that_ignores_SIGTERM_is_killed_after_the_grace_period()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sleep = ProcessTable.UniqueLongSleep();
        using var cancel = new CancellationTokenSource();
        var options = new StepRunnerOptions { KillGrace = TimeSpan.FromMilliseconds(700) };
        var run = bed.RunAsync(bed.Script($"trap '' TERM; sleep {sleep} & sleep {sleep}"), options: options, ct: cancel.Token);
        await Eventually.HoldsAsync(() => ProcessTable.Sleeping(sleep).Count == 2, () => $"{ProcessTable.Sleeping(sleep).Count} sleeps");

        var cancelled = Stopwatch.StartNew();
        await cancel.CancelAsync();
        var result = await run;

        Assert.Equal(StepOutcome.Cancelled, result.Outcome);
        Assert.Empty(ProcessTable.WithMarker(sleep));
        Assert.InRange(cancelled.Elapsed, TimeSpan.FromMilliseconds(650), TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_program_cancelled_as_it_starts_is_killed_before_setsid_has_made_its_group()
    {
        // A token cancelled already reaches the kill microseconds after Process.Start, while setsid is still
        // starting up; a few tries make it all but certain that some land there.
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            var sleep = ProcessTable.UniqueLongSleep();
            using var cancel = new CancellationTokenSource();
            await cancel.CancelAsync();
            var command = new ProcessCommand("sleep", [sleep], Path.GetTempPath(), ProcessCommand.InheritedEnvironment());
            var io = new ProcessIo(s => s.CopyToAsync(Stream.Null), s => s.CopyToAsync(Stream.Null), stdin =>
            {
                stdin.Close();
                return Task.CompletedTask;
            });

            var run = SessionProcess.RunAsync(command, io, TimeSpan.FromMilliseconds(500), cancel.Token);
            var ended = await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))) == run;
            var left = ProcessTable.Sleeping(sleep);
            foreach (var pid in left)
                Process.GetProcessById(pid).Kill();

            Assert.True(ended && left.Count == 0, $"attempt {attempt}: {(ended ? "ended" : "still waiting after 10 s")}, {left.Count} sleep left running");
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
    }

    [Fact]
    public async Task A_step_past_its_timeout_is_killed_and_times_out()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sleep = ProcessTable.UniqueLongSleep();
        var started = Stopwatch.StartNew();

        var result = await bed.RunAsync(bed.Script($"echo work > work.txt; sleep {sleep}", timeout: TimeSpan.FromSeconds(2)));

        Assert.Equal(StepOutcome.TimedOut, result.Outcome);
        Assert.Equal("timed out after 00:00:02", result.Error);
        Assert.InRange(started.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(12));
        Assert.Empty(ProcessTable.WithMarker(sleep));
        Assert.Null(await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task Processes_a_step_leaves_in_the_background_die_when_it_ends()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sleep = ProcessTable.UniqueLongSleep();

        var result = await bed.RunAsync(bed.Script($"sleep {sleep} > /dev/null 2>&1 & echo left it running"), options: new() { KillGrace = TimeSpan.FromMilliseconds(500) });

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Empty(ProcessTable.WithMarker(sleep));
    }
}
