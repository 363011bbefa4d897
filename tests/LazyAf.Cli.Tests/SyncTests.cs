using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// <c>lazyaf sync</c>: the real remote (a bare repository on disk standing in for GitHub) gets new commits after the clone
/// was ingested; sync brings them into LazyAF through the clone, and never forces a branch that moved on both sides.
/// </summary>
public sealed class SyncTests : CliTest
{
    private string _clone = null!;
    private string _repoId = null!;
    private string _upstream = null!;

    protected override async Task ArrangeAsync()
    {
        var origin = Work.Combine("origin.git");
        await TestGit.RunAsync(Work.Path, "init", "--quiet", "--bare", "--initial-branch", "main", origin);
        _clone = await TestGit.InitAsync(Work.Combine("app"));
        await TestGit.RunAsync(_clone, "checkout", "--quiet", "-b", "feature");
        await TestGit.CommitFileAsync(_clone, "feature.txt", "one\n", "Feature");
        await TestGit.RunAsync(_clone, "checkout", "--quiet", "main");
        await TestGit.RunAsync(_clone, "remote", "add", "origin", origin);
        await TestGit.RunAsync(_clone, "push", "--quiet", "origin", "main", "feature");
        _repoId = (await Cli.RunAsync(_clone, "ingest", ".", "--all-branches")).AssertSucceeded().RepoId;
        _upstream = Work.Combine("upstream");
        await TestGit.RunAsync(Work.Path, "clone", "--quiet", origin, _upstream);
    }

    [Fact]
    public async Task Sync_fast_forwards_LazyAFs_main_to_the_remote_and_leaves_a_branch_changed_on_both_sides_alone()
    {
        var mainBefore = await BranchAsync("main");
        var theirMain = await TestGit.CommitFileAsync(_upstream, "upstream.txt", "new\n", "Upstream work");
        await TestGit.RunAsync(_upstream, "checkout", "--quiet", "feature");
        await TestGit.CommitFileAsync(_upstream, "feature.txt", "theirs\n", "Their feature work");
        await TestGit.RunAsync(_upstream, "checkout", "--quiet", "-b", "extra");
        await TestGit.RunAsync(_upstream, "push", "--quiet", "origin", "main", "feature", "extra");
        var ourFeature = await CommitInLazyafAsync("feature", "ours.txt");

        var result = await Cli.RunAsync(_clone, "sync");

        Assert.Equal("lazyaf: 1 branch of app diverged from origin and was left alone: feature (nothing was forced)", result.AssertFailedWithOneLine());
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("Syncing app from origin (", lines[0], StringComparison.Ordinal);
        Assert.Contains($"  main: updated {mainBefore[..8]}..{theirMain[..8]} (1 commit)", lines);
        Assert.Contains(lines, l => l.StartsWith("  feature: diverged, left alone: LazyAF has 1 commit origin lacks, origin has 1 commit LazyAF lacks. Merge them by hand: git switch -c sync-feature ", StringComparison.Ordinal));
        Assert.Contains("  origin has 1 branch LazyAF lacks: extra (lazyaf sync --all-branches pushes them)", lines);
        Assert.Equal((theirMain, ourFeature), (await BranchAsync("main"), await BranchAsync("feature")));
        Assert.Null(await BranchOrNullAsync("extra"));
    }

    [Fact]
    public async Task Sync_all_branches_pushes_the_remotes_new_branches_then_reports_up_to_date_and_ahead_with_exit_0()
    {
        await TestGit.RunAsync(_upstream, "checkout", "--quiet", "-b", "extra");
        var extra = await TestGit.CommitFileAsync(_upstream, "extra.txt", "x\n", "Extra");
        await TestGit.RunAsync(_upstream, "push", "--quiet", "origin", "extra");

        var first = (await Cli.RunAsync(_clone, "sync", "app", "--all-branches")).AssertSucceeded();

        Assert.Contains($"  extra: created at {extra[..8]}", first.Output, StringComparison.Ordinal);
        Assert.Contains("  main: up to date", first.Output, StringComparison.Ordinal);
        Assert.Equal(extra, await BranchAsync("extra"));

        await CommitInLazyafAsync("main", "card.txt");
        var second = (await Cli.RunAsync(Work.Path, "sync", "-C", "app")).AssertSucceeded();
        Assert.Contains($"  main: LazyAF is 1 commit ahead of origin (land them with: lazyaf land app --branch main -C {_clone})", second.Output, StringComparison.Ordinal);
        Assert.Contains("  extra: up to date", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("lacks:", second.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("is not a git repository", "sync", "-C", ".")]
    [InlineData("has no remote named 'nope'", "sync", "-C", "app", "--remote", "nope")]
    [InlineData("no repo named 'ghost'", "sync", "ghost", "-C", "app")]
    [InlineData("has no 'lazyaf' remote: name the repo (lazyaf sync REPO) or ingest it first", "sync", "-C", "upstream")]
    public async Task Bad_sync_input_fails_with_one_line(string message, params string[] args)
    {
        Assert.Contains(message, (await Cli.RunAsync(Work.Path, args)).AssertFailedWithOneLine(), StringComparison.Ordinal);
    }

    /// <summary>What an agent would do: a commit on LazyAF's <paramref name="branch"/> from a checkout of LazyAF; its sha.</summary>
    private async Task<string> CommitInLazyafAsync(string branch, string file)
    {
        var agent = Work.Combine($"agent-{branch}");
        await TestGit.RunAsync(Work.Path, "clone", "--quiet", "--branch", branch, Host.GitUrl(_repoId), agent);
        var sha = await TestGit.CommitFileAsync(agent, file, "ours\n", $"LazyAF work on {branch}");
        await TestGit.RunAsync(agent, "push", "--quiet", "origin", branch);
        return sha;
    }

    private async Task<string> BranchAsync(string name) => await BranchOrNullAsync(name) ?? throw new InvalidOperationException($"LazyAF has no branch {name}");

    private async Task<string?> BranchOrNullAsync(string name)
    {
        var branches = await Host.Client.GetFromJsonAsync<JsonElement[]>($"/api/repos/{_repoId}/branches", LazyAfHost.Json);
        return branches!.FirstOrDefault(b => b.Str("name") == name) is { ValueKind: JsonValueKind.Object } found ? found.Str("sha") : null;
    }
}
