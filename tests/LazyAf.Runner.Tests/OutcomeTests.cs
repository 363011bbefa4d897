using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

public sealed class OutcomeTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task A_non_zero_exit_fails_with_the_exit_code_and_still_pushes_the_work_for_inspection()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);

        var result = await bed.RunAsync(bed.Script("echo partial > partial.txt; exit 3"));

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("exit code 3", result.Error);
        Assert.Equal("partial", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:partial.txt"));
    }

    [Fact]
    public async Task The_setup_script_runs_before_the_step_in_the_workspace()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        await bed.Repo.CommitAsync(".lazyaf/setup.sh", "echo \"set up for $LAZYAF_WORK_BRANCH\"\necho ready > .setup-done\n", "Add set-up");
        await bed.Repo.PushAsync("main");
        var sink = new RecordingSink();

        var result = await bed.RunAsync(bed.Script("cat .setup-done; rm .setup-done"), sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal($"set up for {bed.WorkBranch}\nready\n", sink.Text(LogStream.Stdout));
        Assert.Contains("$ bash -e .lazyaf/setup.sh", sink.Text(LogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failing_setup_script_fails_the_run_before_the_step()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        await bed.Repo.CommitAsync(".lazyaf/setup.sh", "echo preparing\nfalse\necho not reached\n", "Add a broken set-up");
        await bed.Repo.PushAsync("main");
        var sink = new RecordingSink();

        var result = await bed.RunAsync(bed.Script("echo step ran > ran.txt"), sink);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal("set-up (.lazyaf/setup.sh) failed with exit code 1", result.Error);
        Assert.Null(result.ExitCode);
        Assert.Equal("preparing\n", sink.Text(LogStream.Stdout));
        Assert.False(File.Exists(Path.Combine(bed.Workspace, "ran.txt")));
        Assert.Null(await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task A_working_directory_outside_the_workspace_is_refused()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Script("touch escaped.txt");
        spec = spec with { Step = spec.Step with { WorkingDir = "sub/../../outside" } };

        var result = await bed.RunAsync(spec);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal("working directory 'sub/../../outside' is outside the workspace", result.Error);
        Assert.Null(await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task A_working_directory_inside_the_workspace_is_where_the_step_runs()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        await bed.Repo.CommitAsync("app/keep", "", "Add app dir");
        await bed.Repo.PushAsync("main");
        var spec = bed.Script("echo made here > here.txt");
        spec = spec with { Step = spec.Step with { WorkingDir = "app" } };

        var result = await bed.RunAsync(spec);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal("made here", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:app/here.txt"));
    }

    [Fact]
    public async Task An_unknown_step_type_fails_with_a_clear_error()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Script("echo hi") with { Step = new DockerStepDefinition("alpine", "echo hi") };
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal("unknown step type 'docker'; this runner runs: script", result.Error);
        Assert.Contains("Failed: unknown step type 'docker'", sink.Text(LogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_push_fails_the_run_and_keeps_the_steps_own_failure()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        // Someone else pushes to the work branch while the step runs: the runner's push is no fast-forward.
        const string racing = """
            git -c user.name=other -c user.email=other@lazyaf.test commit --quiet --allow-empty -m racing
            git push --quiet origin "HEAD:refs/heads/$LAZYAF_WORK_BRANCH"
            git reset --quiet --hard HEAD~1
            echo mine > mine.txt
            exit 5
            """;

        // A step has no credential of its own; this one is given another pusher's, to play that someone else.
        var spec = bed.Script(racing) with
        {
            Env = new Dictionary<string, string>
            {
                ["GIT_CONFIG_COUNT"] = "1",
                ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
                ["GIT_CONFIG_VALUE_0"] = "Authorization: Bearer " + fixture.Host.OwnerToken,
            },
        };

        var result = await bed.RunAsync(spec);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Equal(5, result.ExitCode);
        Assert.StartsWith("exit code 5; git push failed (exit code 1): ! [rejected]", result.Error, StringComparison.Ordinal);
        Assert.Equal("racing", await bed.RemoteGitAsync("log", "-1", "--format=%s", $"origin/{bed.WorkBranch}"));
    }
}
