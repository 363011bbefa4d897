using System.Diagnostics;
using LazyAf.Testing;

namespace LazyAf.Runner.Docker.Tests;

public sealed class DockerStepTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task A_container_writes_to_the_workspace_and_its_work_is_committed_and_pushed()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        var spec = bed.Docker("echo \"hi from $(pwd)\" > hello.txt; echo to stdout; echo to stderr >&2");

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.True(result.Changed);
        Assert.Equal("hi from /workspace", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:hello.txt"));
        Assert.Equal(result.CommitSha, await bed.Repo.RemoteShaAsync(bed.WorkBranch));
        Assert.Equal("to stdout\n", sink.Text(LogStream.Stdout));
        Assert.Equal("to stderr\n", sink.Text(LogStream.Stderr));
        Assert.Contains($"$ docker run {DockerTestBed.Image} sh -c", sink.Text(LogStream.System), StringComparison.Ordinal);
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
    }

    [Fact]
    public async Task A_non_zero_exit_fails_with_the_exit_code_and_removes_the_container()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Docker("echo partial > partial.txt; exit 3");

        var result = await bed.RunAsync(spec, new RecordingSink());

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("exit code 3", result.Error);
        Assert.Equal("partial", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:partial.txt"));
        Assert.Empty(await DockerTestBed.ContainersOfAsync(spec.ExecutionId));
    }

    [Fact]
    public async Task Env_and_secrets_reach_the_container_and_secrets_are_masked_in_the_log()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        await bed.Repo.CommitAsync("sub/keep.txt", "kept\n", "Add sub");
        await bed.Repo.PushAsync("main");
        var sink = new RecordingSink();
        var spec = bed.Docker("echo \"$GREETING ci=$CI token=$API_TOKEN in $(pwd)\"; echo \"$API_TOKEN\" > token.txt",
            env: new() { ["GREETING"] = "hello" }, secrets: new() { ["API_TOKEN"] = "s3cr3t-t0ken" });
        spec = spec with { Step = spec.Step with { WorkingDir = "sub" } };

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal("hello ci=true token=*** in /workspace/sub\n", sink.Text(LogStream.Stdout));
        Assert.Equal("s3cr3t-t0ken", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:sub/token.txt"));
    }

    [Fact]
    public async Task A_missing_image_fails_fast_with_a_clear_error_and_pulls_nothing()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var started = Stopwatch.StartNew();

        var result = await bed.RunAsync(bed.Docker("echo never", image: "lazyaf/not-there:nope"), new RecordingSink());

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Null(result.ExitCode);
        Assert.StartsWith("image 'lazyaf/not-there:nope' not found", result.Error, StringComparison.Ordinal);
        Assert.InRange(started.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Assert.Null(await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task An_unreachable_daemon_fails_the_step_with_a_clear_error()
    {
        await using var bed = await DockerTestBed.CreateAsync(fixture.Host);
        var options = new DockerStepOptions { Endpoint = new Uri("unix:///tmp/lazyaf-no-docker-here.sock"), ConnectTimeout = TimeSpan.FromSeconds(3) };

        var result = await bed.RunAsync(bed.Docker("echo never"), new RecordingSink(), options);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.StartsWith("the Docker daemon is not reachable at unix:///tmp/lazyaf-no-docker-here.sock", result.Error, StringComparison.Ordinal);
    }
}
