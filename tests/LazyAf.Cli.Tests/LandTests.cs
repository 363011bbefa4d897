using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// <c>lazyaf land</c> from a local clone to a "real" remote: a bare repository on disk standing in
/// for GitHub. The clone was ingested, and LazyAF's main has since moved on.
/// </summary>
public sealed class LandTests : CliTest
{
    private string _remote = null!;
    private string _clone = null!;
    private string _lazyafMain = null!;
    private string _repoId = null!;

    protected override async Task ArrangeAsync()
    {
        _remote = Work.Combine("remote.git");
        await TestGit.RunAsync(Work.Path, "init", "--quiet", "--bare", "--initial-branch", "main", _remote);
        _clone = await TestGit.InitAsync(Work.Combine("app"));
        await TestGit.RunAsync(_clone, "remote", "add", "origin", _remote);
        await TestGit.RunAsync(_clone, "push", "--quiet", "origin", "main");
        _repoId = (await Cli.RunAsync(_clone, "ingest", ".")).AssertSucceeded().RepoId;

        // What an agent would do: commit on LazyAF's main from another checkout.
        var agent = Work.Combine("agent");
        await TestGit.RunAsync(Work.Path, "clone", "--quiet", Host.GitUrl(_repoId), agent);
        _lazyafMain = await TestGit.CommitFileAsync(agent, "feature.txt", "done\n", "Agent work");
        await TestGit.RunAsync(agent, "checkout", "--quiet", "-b", "card-1");
        await TestGit.CommitFileAsync(agent, "card.txt", "card\n", "Card work");
        await TestGit.RunAsync(agent, "push", "--quiet", "origin", "main", "card-1");
    }

    [Fact]
    public async Task Land_pushes_LazyAFs_default_branch_to_origin()
    {
        var result = (await Cli.RunAsync(_clone, "land", "app")).AssertSucceeded();

        Assert.Equal(_lazyafMain, await RemoteMainAsync());
        Assert.Contains(_lazyafMain, result.Output, StringComparison.Ordinal);

        var again = (await Cli.RunAsync(_clone, "land", "app")).AssertSucceeded();
        Assert.Contains("already", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Land_refuses_a_non_fast_forward_and_leaves_the_remote_unchanged()
    {
        var theirs = await CommitOnRemoteAsync();

        var line = (await Cli.RunAsync(_clone, "land", "app")).AssertFailedWithOneLine();

        Assert.Equal("lazyaf: origin/main has commits that LazyAF's main does not; refusing a non-fast-forward push (use --force)", line);
        Assert.Equal(theirs, await RemoteMainAsync());
    }

    [Fact]
    public async Task Land_with_force_overwrites_a_remote_that_diverged()
    {
        await CommitOnRemoteAsync();
        // Knowing the remote's commit makes git call it "non-fast-forward" rather than "fetch first"; both are refused.
        await TestGit.RunAsync(_clone, "fetch", "--quiet", "origin");
        (await Cli.RunAsync(_clone, "land", "app")).AssertFailedWithOneLine();

        var result = (await Cli.RunAsync(_clone, "land", "app", "--force")).AssertSucceeded();

        Assert.Equal(_lazyafMain, await RemoteMainAsync());
        Assert.Contains("forced", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Land_of_another_branch_by_repo_id_works_from_any_directory_with_C()
    {
        var cardSha = (await TestGit.LsRemoteAsync(Work.Path, Host.GitUrl(_repoId)))["refs/heads/card-1"];

        (await Cli.RunAsync(Work.Path, "land", _repoId, "--branch", "card-1", "-C", "app")).AssertSucceeded();

        var remote = await TestGit.LsRemoteAsync(Work.Path, _remote);
        Assert.Equal(cardSha, remote["refs/heads/card-1"]);
        Assert.NotEqual(_lazyafMain, remote["refs/heads/main"]);
    }

    [Fact]
    public async Task Land_of_a_branch_LazyAF_does_not_have_fails_with_one_line()
    {
        var line = (await Cli.RunAsync(_clone, "land", "app", "--branch", "nope")).AssertFailedWithOneLine();

        Assert.Equal("lazyaf: LazyAF's app has no branch 'nope'", line);
    }

    private Task<string> RemoteMainAsync() => TestGit.RunAsync(_remote, "rev-parse", "refs/heads/main");

    /// <summary>Someone pushes straight to the real remote, so it has a commit LazyAF's main lacks.</summary>
    private async Task<string> CommitOnRemoteAsync()
    {
        var other = Work.Combine("other");
        await TestGit.RunAsync(Work.Path, "clone", "--quiet", _remote, other);
        var sha = await TestGit.CommitFileAsync(other, "hotfix.txt", "fix\n", "Hotfix on the remote");
        await TestGit.RunAsync(other, "push", "--quiet", "origin", "main");
        return sha;
    }
}
