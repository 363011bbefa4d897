using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

public sealed class CheckoutAndPushTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task A_file_the_step_writes_is_committed_with_the_given_message_and_author_and_pushed()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        var result = await bed.RunAsync(bed.Script("echo hello > hello.txt"), sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.True(result.Changed);
        Assert.Equal(bed.WorkBranch, result.Branch);
        Assert.Equal(result.CommitSha, await bed.Repo.RemoteShaAsync(bed.WorkBranch));
        Assert.Equal("hello", await bed.RemoteGitAsync("show", $"origin/{bed.WorkBranch}:hello.txt"));
        Assert.Equal("LazyAF Bot <bot@lazyaf.test>|LazyAF Bot|Card 1: add a greeting", await bed.RemoteGitAsync("log", "-1", "--format=%an <%ae>|%cn|%s", $"origin/{bed.WorkBranch}"));
        Assert.Equal(await bed.RemoteGitAsync("rev-parse", "origin/main"), await bed.RemoteGitAsync("rev-parse", $"origin/{bed.WorkBranch}~1"));
        var system = sink.Text(LogStream.System);
        Assert.Contains("$ git clone", system, StringComparison.Ordinal);
        Assert.Contains($"checked out {bed.WorkBranch} at ", system, StringComparison.Ordinal);
        Assert.Contains($"pushed {bed.WorkBranch} at ", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_retry_continues_the_existing_work_branch_from_a_fresh_or_an_earlier_workspace()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var first = await bed.RunAsync(bed.Script("echo one > one.txt"));
        var second = await bed.RunAsync(bed.Script("test -f one.txt && echo two > two.txt"), workspace: bed.OtherWorkspace("retry"));
        // The first workspace is behind the branch now: the run fetches and catches up before working.
        var third = await bed.RunAsync(bed.Script("test -f two.txt && echo three > three.txt"));

        Assert.All([first, second, third], r => Assert.Equal(StepOutcome.Succeeded, r.Outcome));
        Assert.Equal(third.CommitSha, await bed.Repo.RemoteShaAsync(bed.WorkBranch));
        await bed.Repo.GitAsync("fetch", "--quiet", "origin");
        Assert.True((await TestGit.TryAsync(bed.Repo.WorkTree, "merge-base", "--is-ancestor", first.CommitSha!, second.CommitSha!)).Succeeded);
        Assert.True((await TestGit.TryAsync(bed.Repo.WorkTree, "merge-base", "--is-ancestor", second.CommitSha!, third.CommitSha!)).Succeeded);
        Assert.Equal("README.md\none.txt\nthree.txt\ntwo.txt", await bed.RemoteGitAsync("ls-tree", "--name-only", $"origin/{bed.WorkBranch}"));
    }

    [Fact]
    public async Task Only_changes_the_commit_scope_matches_are_committed_a_rename_as_both_paths_and_the_rest_stays_in_the_workspace()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Script("mkdir -p docs out && echo a > docs/a.md && echo b > out/b.bin && git mv README.md docs/README.md && echo c > c.txt");
        spec = spec with { Commit = spec.Commit with { Scope = CommitScope.Only(["docs/", "README.md"]) } };
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal("README.md\ndocs/README.md\ndocs/a.md", await bed.RemoteGitAsync("diff", "--name-only", "--no-renames", "origin/main", $"origin/{bed.WorkBranch}"));
        Assert.Contains($"committed 3 files as {result.CommitSha![..12]}: README.md, docs/README.md, docs/a.md (2 files changed left out: c.txt, out/b.bin)",
            sink.Text(LogStream.System), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(bed.Workspace, "out", "b.bin")));
    }

    [Fact]
    public async Task A_step_whose_scope_is_nothing_commits_nothing_but_what_it_committed_itself_is_pushed()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Script("echo own > own.txt && git add own.txt && git -c user.name=s -c user.email=s@x commit -qm own && echo left > left.txt");
        spec = spec with { Commit = spec.Commit with { Scope = CommitScope.Nothing } };
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal("own.txt", await bed.RemoteGitAsync("diff", "--name-only", "origin/main", $"origin/{bed.WorkBranch}"));
        Assert.Equal(result.CommitSha, await bed.Repo.RemoteShaAsync(bed.WorkBranch));
        Assert.Contains("nothing committed: the step's commit is unset or false (1 file changed left out: left.txt)", sink.Text(LogStream.System), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_that_changes_nothing_still_pushes_a_new_branch_for_review()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);

        var result = await bed.RunAsync(bed.Script("true"));

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.False(result.Changed);
        Assert.Equal(await bed.Repo.RemoteShaAsync("main"), await bed.Repo.RemoteShaAsync(bed.WorkBranch));
        Assert.Equal(result.CommitSha, await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task The_context_directory_is_there_for_the_step_but_never_committed()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var failed = new TestSummary(2, 1, 1, 0, [new TestFailure("calc.adds", "expected 3 but was 4", "build/junit.xml")]);
        var spec = bed.Script("cat .lazyaf-context/task.md .lazyaf-context/previous-steps.md .lazyaf-context/test-failures.md; echo done > done.txt") with
        {
            Context = new StepContext("Fix the adder", "Make calc.adds pass.", [new PreviousStep("tests", StepOutcome.Failed, "FAIL calc.adds", failed)]),
        };
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        var stdout = sink.Text(LogStream.Stdout);
        Assert.Contains("# Fix the adder", stdout, StringComparison.Ordinal);
        Assert.Contains("Make calc.adds pass.", stdout, StringComparison.Ordinal);
        Assert.Contains("## tests: Failed", stdout, StringComparison.Ordinal);
        Assert.Contains("FAIL calc.adds", stdout, StringComparison.Ordinal);
        Assert.Contains("expected 3 but was 4", stdout, StringComparison.Ordinal);
        Assert.Equal("README.md\ndone.txt", await bed.RemoteGitAsync("ls-tree", "-r", "--name-only", $"origin/{bed.WorkBranch}"));
    }

    [Fact]
    public async Task A_token_goes_to_git_as_a_header_but_not_into_the_checkout_or_the_log()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var spec = bed.Script("echo work > work.txt; env");
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.DoesNotContain(bed.Token.Value, await File.ReadAllTextAsync(Path.Combine(bed.Workspace, ".git", "config")), StringComparison.Ordinal);
        Assert.DoesNotContain(bed.Token.Value, sink.AllText, StringComparison.Ordinal);
        Assert.Equal(result.CommitSha, await bed.Repo.RemoteShaAsync(bed.WorkBranch));
    }

    [Fact]
    public async Task A_new_work_branch_starts_from_the_base_commit_when_one_is_given()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var baseCommit = await bed.Repo.GitAsync("rev-parse", "HEAD");
        await bed.Repo.CommitAsync("later.txt", "later\n", "A later commit on main");
        await bed.Repo.PushAsync("main");
        var spec = bed.Script("test ! -e later.txt && echo from base > base.txt");
        spec = spec with { Repo = spec.Repo with { BaseCommit = baseCommit } };

        var result = await bed.RunAsync(spec);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(baseCommit, await bed.RemoteGitAsync("rev-parse", $"origin/{bed.WorkBranch}~1"));
    }

    [Fact]
    public async Task The_token_reaches_the_git_server_as_a_bearer_header()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        using var server = new HeaderRecordingServer();
        var spec = bed.Script("true");
        spec = spec with { Repo = spec.Repo with { CloneUrl = server.Url + "repo.git", Token = "tok-1a2b3c4d" } };
        var sink = new RecordingSink();

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Failed, result.Outcome);
        Assert.StartsWith("git clone failed", result.Error, StringComparison.Ordinal);
        Assert.Equal("Bearer tok-1a2b3c4d", server.AuthorizationHeaders.First());
        Assert.DoesNotContain("tok-1a2b3c4d", sink.AllText, StringComparison.Ordinal);
    }
}
