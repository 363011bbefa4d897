using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

/// <summary>A workspace another step of the repo left (a warm one, <see cref="StepSpec.ReusedWorkspace"/>) is checked out as clean as a new clone, writing only what differs.</summary>
public sealed class ReusedWorkspaceTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task A_file_the_last_step_changed_and_hid_from_git_is_reset_and_an_unchanged_one_is_not_written_again()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        await bed.Repo.CommitAsync("keep.txt", "unchanged\n", "A file nobody changes");
        await bed.Repo.PushAsync("HEAD:main");
        var marks = Directory.CreateDirectory(bed.OtherWorkspace("marks")).FullName;

        var first = await bed.RunAsync(bed.Script(
            $"echo tampered > README.md && git update-index --assume-unchanged README.md && stat -c %i keep.txt > {marks}/inode-before"));
        var sink = new RecordingSink();
        var second = await bed.RunAsync(bed.Script($"cat README.md > {marks}/readme && stat -c %i keep.txt > {marks}/inode-after") with { ReusedWorkspace = true }, sink);

        Assert.Equal((StepOutcome.Succeeded, StepOutcome.Succeeded), (first.Outcome, second.Outcome));
        Assert.Equal("# test repo", (await File.ReadAllTextAsync(Path.Combine(marks, "readme"))).Trim());
        Assert.Equal(await File.ReadAllTextAsync(Path.Combine(marks, "inode-before")), await File.ReadAllTextAsync(Path.Combine(marks, "inode-after")));
        Assert.Contains("reusing a workspace of this repo", sink.Text(LogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_reused_workspace_that_holds_files_but_no_checkout_gets_one()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        Directory.CreateDirectory(bed.Workspace);
        await File.WriteAllTextAsync(Path.Combine(bed.Workspace, "half-cloned"), "x");

        var result = await bed.RunAsync(bed.Script("test -f README.md && test ! -e half-cloned") with { ReusedWorkspace = true });

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
    }
}
