using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

public sealed class WorkspacePreparationTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task Configured_files_are_written_before_set_up_and_never_committed()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Script("cat .env config/app.ini > seen.txt") with
        {
            Files = new Dictionary<string, string> { [".env"] = "TOKEN=abc\n", ["config/app.ini"] = "[app]\n" },
        };

        var result = await bed.RunAsync(spec);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal("TOKEN=abc\n[app]", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:seen.txt"));
        Assert.Equal("README.md\nseen.txt", await bed.RemoteGitAsync("ls-tree", "-r", "--name-only", $"origin/{bed.WorkBranch}"));
    }

    [Fact]
    public async Task A_configured_set_up_command_runs_instead_of_the_setup_script_and_its_failure_fails_the_run()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        await bed.Repo.CommitAsync(".lazyaf/setup.sh", "echo from-script > setup-from.txt\n", "Add set-up script");
        await bed.Repo.PushAsync("main");
        var sink = new RecordingSink();

        var ok = await bed.RunAsync(bed.Script("cat setup-from.txt") with { SetupCommand = "echo from-command > setup-from.txt" }, sink);
        var failing = await bed.RunAsync(bed.Script("true") with { SetupCommand = "exit 4" }, workspace: bed.OtherWorkspace("failing"));

        Assert.Equal(StepOutcome.Succeeded, ok.Outcome);
        Assert.Equal("from-command\n", sink.Text(LogStream.Stdout));
        Assert.Equal("set-up (the set-up command) failed with exit code 4", failing.Error);
    }

    [Fact]
    public async Task A_file_outside_the_workspace_is_refused()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);

        var result = await bed.RunAsync(bed.Script("true") with { Files = new Dictionary<string, string> { ["../escape.txt"] = "x" } });

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.Contains("outside the workspace", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(bed.Workspace)!, "escape.txt")));
    }
}
