using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf ingest</c> against the real host, with the real git.</summary>
public sealed class IngestTests : CliTest
{
    [Fact]
    public async Task Ingest_all_branches_copies_every_branch_tag_and_commit_and_records_the_origin()
    {
        var source = await SourceRepository.CreateLargeAsync(Work.Combine("app"), commits: 500, branches: 6);

        var result = (await Cli.RunAsync(Work.Path, "ingest", "app", "--all-branches")).AssertSucceeded();

        var repo = await GetRepoAsync(result.RepoId);
        Assert.Equal("app", repo.GetProperty("name").GetString());
        Assert.Equal("main", repo.GetProperty("default_branch").GetString());
        Assert.Equal(SourceRepository.OriginUrl, repo.GetProperty("remote_url").GetString());
        Assert.Contains(repo.GetProperty("clone_url").GetString()!, result.Output, StringComparison.Ordinal);

        var mirror = Work.Combine("mirror.git");
        await TestGit.RunAsync(Work.Path, "clone", "--quiet", "--mirror", Host.GitUrl(result.RepoId), mirror);
        var expected = await RefsAsync(source);
        Assert.True(expected.Count(r => r.StartsWith("refs/heads/", StringComparison.Ordinal)) >= 7, string.Join("\n", expected));
        Assert.Equal(4, expected.Count(r => r.StartsWith("refs/tags/", StringComparison.Ordinal)));
        Assert.Equal(expected, await RefsAsync(mirror));
        Assert.True(int.Parse(await TestGit.RunAsync(mirror, "rev-list", "--count", "main")) >= 500);
        Assert.Equal(await TestGit.RunAsync(source, "rev-list", "--count", "--all"), await TestGit.RunAsync(mirror, "rev-list", "--count", "--all"));
    }

    [Fact]
    public async Task Ingest_pushes_only_the_current_branch_and_running_it_again_reuses_the_repo_and_repoints_the_remote()
    {
        var source = await TestGit.InitAsync(Work.Combine("svc"));
        await TestGit.RunAsync(source, "tag", "v1");
        await TestGit.RunAsync(source, "checkout", "--quiet", "-b", "work");
        var workSha = await TestGit.CommitFileAsync(source, "work.txt", "work\n", "Work");

        var first = (await Cli.RunAsync(source, "ingest", ".")).AssertSucceeded();

        var refs = await TestGit.LsRemoteAsync(Work.Path, Host.GitUrl(first.RepoId));
        Assert.Equal(new Dictionary<string, string> { ["refs/heads/work"] = workSha }, refs);
        var repo = await GetRepoAsync(first.RepoId);
        Assert.Equal("svc", repo.GetProperty("name").GetString());
        Assert.Equal("work", repo.GetProperty("default_branch").GetString());
        Assert.Equal(JsonValueKind.Null, repo.GetProperty("remote_url").ValueKind);

        // A stale lazyaf remote (say, from another LazyAF) is pointed back at this one.
        await TestGit.RunAsync(source, "remote", "set-url", "lazyaf", Work.Combine("elsewhere.git"));
        var newSha = await TestGit.CommitFileAsync(source, "work.txt", "more\n", "More work");
        var second = (await Cli.RunAsync(source, "ingest", ".")).AssertSucceeded();

        Assert.Equal(first.RepoId, second.RepoId);
        var all = await Host.Client.GetFromJsonAsync<JsonElement[]>("/api/repos", LazyAfHost.Json);
        Assert.Single(all!);
        Assert.Equal(Host.GitUrl(first.RepoId), await TestGit.RunAsync(source, "remote", "get-url", "lazyaf"));
        Assert.Equal(newSha, (await TestGit.LsRemoteAsync(Work.Path, Host.GitUrl(first.RepoId)))["refs/heads/work"]);
    }

    [Fact]
    public async Task Ingest_with_branch_and_name_pushes_that_branch_as_the_default_under_that_name()
    {
        var source = await TestGit.InitAsync(Work.Combine("svc"));
        await TestGit.RunAsync(source, "checkout", "--quiet", "-b", "release");
        var releaseSha = await TestGit.CommitFileAsync(source, "r.txt", "r\n", "Release");
        await TestGit.RunAsync(source, "checkout", "--quiet", "main");

        var result = (await Cli.RunAsync(Work.Path, "ingest", source, "--branch", "release", "--name", "billing")).AssertSucceeded();

        var repo = await GetRepoAsync(result.RepoId);
        Assert.Equal("billing", repo.GetProperty("name").GetString());
        Assert.Equal("release", repo.GetProperty("default_branch").GetString());
        var refs = await TestGit.LsRemoteAsync(Work.Path, Host.GitUrl(result.RepoId));
        Assert.Equal(new Dictionary<string, string> { ["refs/heads/release"] = releaseSha }, refs);
    }

    [Fact]
    public async Task Ingest_all_branches_of_a_fresh_clone_pushes_the_origins_branches_too()
    {
        var upstream = await TestGit.InitAsync(Work.Combine("upstream"));
        foreach (var branch in new[] { "feature/a", "release" })
        {
            await TestGit.RunAsync(upstream, "checkout", "--quiet", "-b", branch, "main");
            await TestGit.CommitFileAsync(upstream, $"{branch.Replace('/', '-')}.txt", "x\n", branch);
        }
        await TestGit.RunAsync(upstream, "checkout", "--quiet", "main");
        await TestGit.RunAsync(Work.Path, "clone", "--quiet", upstream, Work.Combine("fresh"));
        var fresh = Work.Combine("fresh");

        var result = (await Cli.RunAsync(fresh, "ingest", ".", "--all-branches")).AssertSucceeded();

        Assert.Contains("pushed 3 branches and 0 tags", result.Output, StringComparison.Ordinal);
        var pushed = await TestGit.LsRemoteAsync(Work.Path, Host.GitUrl(result.RepoId));
        Assert.Equal(["refs/heads/feature/a", "refs/heads/main", "refs/heads/release"], pushed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(await TestGit.RunAsync(upstream, "rev-parse", "release"), pushed["refs/heads/release"]);
    }

    [Fact]
    public async Task A_failed_ingest_under_another_repos_name_leaves_the_clones_lazyaf_remote_as_it_was()
    {
        var first = await TestGit.InitAsync(Work.Combine("one"));
        // A commit "two" lacks whatever the clock says: two inits in one second are the same commit.
        await TestGit.CommitFileAsync(first, "one.txt", "one\n", "Only in one");
        (await Cli.RunAsync(first, "ingest", ".", "--name", "shared")).AssertSucceeded();
        var other = await TestGit.InitAsync(Work.Combine("two"));
        var mine = (await Cli.RunAsync(other, "ingest", ".", "--name", "mine")).AssertSucceeded();

        // "shared" has history "two" does not: the push is refused, and "two" must still point at "mine".
        var line = (await Cli.RunAsync(other, "ingest", ".", "--name", "shared")).AssertFailedWithOneLine();

        Assert.Contains("has commits that", line, StringComparison.Ordinal);
        Assert.Equal(Host.GitUrl(mine.RepoId), await TestGit.RunAsync(other, "remote", "get-url", "lazyaf"));
    }

    [Fact]
    public async Task An_ingest_LazyAF_refuses_as_corrupt_shows_gits_own_reason()
    {
        var source = await TestGit.InitAsync(Work.Combine("corrupt"));
        var blob = await TestGit.RunAsync(source, "rev-parse", "HEAD:README.md");
        // A tree naming one file twice: git fsck's duplicateEntries, an error every forge refuses.
        var entry = (byte[])[.. System.Text.Encoding.ASCII.GetBytes("100644 a.txt\0"), .. Convert.FromHexString(blob)];
        var file = Work.Combine("tree.bin");
        await File.WriteAllBytesAsync(file, [.. entry, .. entry]);
        var tree = await TestGit.RunAsync(source, "hash-object", "-t", "tree", "--literally", "-w", file);
        await TestGit.RunAsync(source, "reset", "--quiet", "--soft", await TestGit.RunAsync(source, "commit-tree", tree, "-p", "HEAD", "-m", "corrupt"));

        var line = (await Cli.RunAsync(source, "ingest", ".")).AssertFailedWithOneLine();

        Assert.Contains("remote: error:", line, StringComparison.Ordinal);
        Assert.Contains("duplicateEntries", line, StringComparison.Ordinal);
    }

    private async Task<JsonElement> GetRepoAsync(string id)
    {
        Assert.Matches("^[0-9a-f]{32}$", id);
        return await Host.Client.GetFromJsonAsync<JsonElement>($"/api/repos/{id}", LazyAfHost.Json);
    }

    /// <summary>Every branch and tag as "ref sha" lines, sorted.</summary>
    private static async Task<string[]> RefsAsync(string repo) =>
        (await TestGit.RunAsync(repo, "for-each-ref", "--format=%(refname) %(objectname)", "refs/heads", "refs/tags"))
            .Split('\n').Order(StringComparer.Ordinal).ToArray();
}
