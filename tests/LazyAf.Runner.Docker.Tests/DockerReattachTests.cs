using System.Text;
using LazyAf.Testing;

namespace LazyAf.Runner.Docker.Tests;

/// <summary>
/// Containers that outlived the run that started them (its host was killed), stood in for by containers the
/// docker CLI starts with LazyAF's labels.
/// </summary>
public sealed class DockerReattachTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task Following_a_running_container_by_execution_id_ships_its_output_and_returns_its_exit_code_then_removes_it()
    {
        var executionId = "exec-" + Guid.NewGuid().ToString("N")[..8];
        await StartOrphanAsync(executionId, "echo one; sleep 2; echo two >&2; exit 5");
        var output = new RecordingOutput();

        var exitCode = await new DockerStepKind().FollowAsync(executionId, since: null, output, CancellationToken.None);

        Assert.Equal(5, exitCode);
        Assert.Equal("one\n", output.Text(LogStream.Stdout));
        Assert.Equal("two\n", output.Text(LogStream.Stderr));
        Assert.Empty(await DockerTestBed.ContainersOfAsync(executionId));
    }

    [Fact]
    public async Task Following_from_a_point_in_time_ships_exactly_the_lines_printed_after_it_even_within_the_same_second()
    {
        var executionId = "exec-" + Guid.NewGuid().ToString("N")[..8];
        var container = await StartOrphanAsync(executionId, "i=0; while [ $i -lt 30 ]; do echo $i; i=$((i+1)); sleep 0.1; done");
        // The point a dead run's last chunk was stamped at: after line 10 was read, before line 11 was printed.
        var stamps = new Dictionary<string, DateTimeOffset>();
        await Eventually.HoldsAsync(async () =>
        {
            foreach (var line in (await DockerTestBed.DockerCliAsync("logs", "--timestamps", container)).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                stamps[line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..]] = EngineTime(line[..line.IndexOf(' ', StringComparison.Ordinal)]);
            return stamps.ContainsKey("11");
        }, () => Task.FromResult(string.Join(", ", stamps.Keys)), TimeSpan.FromSeconds(30));
        var since = stamps["10"] + (stamps["11"] - stamps["10"]) / 2;
        var output = new RecordingOutput();

        Assert.Equal(0, await new DockerStepKind().FollowAsync(executionId, since, output, CancellationToken.None));

        Assert.Equal(Enumerable.Range(11, 19).Select(i => $"{i}\n"), output.Text(LogStream.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l + "\n"));
    }

    // The engine's RFC 3339 time with nanoseconds, to the 100 ns .NET keeps.
    private static DateTimeOffset EngineTime(string text)
    {
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var fraction = text[(dot + 1)..].TrimEnd('Z');
        return DateTimeOffset.Parse($"{text[..dot]}.{fraction.PadRight(7, '0')[..7]}Z", System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_container_that_already_exited_is_followed_to_its_exit_code()
    {
        var executionId = "exec-" + Guid.NewGuid().ToString("N")[..8];
        await StartOrphanAsync(executionId, "echo quick; exit 4");
        await DockerTestBed.DockerCliAsync("wait", (await DockerTestBed.ContainersOfAsync(executionId))[0]);

        var exitCode = await new DockerStepKind().FollowAsync(executionId, since: null, new RecordingOutput(), CancellationToken.None);

        Assert.Equal(4, exitCode);
        Assert.Empty(await DockerTestBed.ContainersOfAsync(executionId));
    }

    [Fact]
    public async Task Cancelling_the_follow_kills_and_removes_the_container()
    {
        var executionId = "exec-" + Guid.NewGuid().ToString("N")[..8];
        await StartOrphanAsync(executionId, "sleep 60");
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new DockerStepKind().FollowAsync(executionId, since: null, new RecordingOutput(), cancel.Token));

        Assert.Empty(await DockerTestBed.ContainersOfAsync(executionId));
    }

    [Fact]
    public async Task Reattaching_the_runner_continues_the_log_after_the_last_seq_and_commits_and_pushes_the_work()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        // A first run leaves the workspace checked out, as the dead host's run did.
        Assert.Equal(StepOutcome.Succeeded, (await bed.RunAsync(bed.Docker("true"), new RecordingSink())).Outcome);
        var spec = bed.Docker("unused: the container below runs instead");
        await StartOrphanAsync(spec.ExecutionId, "sleep 1; echo done > done.txt; echo finished; exit 0", bed.Workspace);
        var sink = new RecordingSink();

        var result = await new StepRunner([new DockerStepKind()]).ReattachAsync(spec, bed.Workspace, sink, lastSeq: 7, lastAt: null, startedAt: null, CancellationToken.None);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Enumerable.Range(8, sink.Seqs().Length).Select(i => (long)i), sink.Seqs());
        Assert.Equal("finished\n", sink.Text(LogStream.Stdout));
        Assert.Contains("re-attached after a restart; the step exited 0", sink.Text(LogStream.System), StringComparison.Ordinal);
        Assert.Equal("done", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:done.txt"));
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
    }

    [Fact]
    public async Task A_step_re_attached_after_its_time_is_up_times_out_at_once_and_its_container_is_removed()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        Assert.Equal(StepOutcome.Succeeded, (await bed.RunAsync(bed.Docker("true"), new RecordingSink())).Outcome);
        var spec = bed.Docker("unused", timeout: TimeSpan.FromSeconds(30));
        await StartOrphanAsync(spec.ExecutionId, "sleep 120", bed.Workspace);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        // It started 40 s ago, before the host died: its 30 s are spent.
        var result = await new StepRunner([new DockerStepKind()]).ReattachAsync(
            spec, bed.Workspace, new RecordingSink(), lastSeq: 3, lastAt: null, startedAt: DateTimeOffset.UtcNow.AddSeconds(-40), CancellationToken.None);

        Assert.Equal((StepOutcome.TimedOut, "timed out after 00:00:30"), (result.Outcome, result.Error));
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(20));
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
    }

    [Fact]
    public async Task A_re_attach_that_cannot_follow_the_step_fails_and_still_removes_its_container()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Docker("unused");
        await StartOrphanAsync(spec.ExecutionId, "sleep 120");
        using var empty = new TempDir();

        var result = await new StepRunner([new DockerStepKind()]).ReattachAsync(
            spec, empty.Path, new RecordingSink(), lastSeq: 0, lastAt: null, startedAt: null, CancellationToken.None);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Contains("holds no checkout to re-attach to", result.Error, StringComparison.Ordinal);
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
    }

    private static Task<string> StartOrphanAsync(string executionId, string command, string? workspace = null) =>
        DockerTestBed.DockerCliAsync([
            "run", "-d", "--label", $"{DockerStepKind.ExecutionLabel}={executionId}", "--label", $"{DockerStepKind.ManagedLabel}=true",
            .. workspace is null ? Array.Empty<string>() : ["--mount", $"type=bind,source={workspace},target=/workspace", "-w", "/workspace"],
            "--entrypoint", "sh", DockerTestBed.Image, "-c", command]);

    private sealed class RecordingOutput : IStepOutput
    {
        private readonly StringBuilder[] _streams = [new(), new(), new()];

        public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            lock (_streams)
                _streams[(int)stream].Append(Encoding.UTF8.GetString(data.Span));
            return ValueTask.CompletedTask;
        }

        public string Text(LogStream stream)
        {
            lock (_streams)
                return _streams[(int)stream].ToString();
        }
    }
}
