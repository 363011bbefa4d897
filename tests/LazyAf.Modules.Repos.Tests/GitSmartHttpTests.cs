using LazyAf.Testing;

namespace LazyAf.Modules.Repos.Tests;

/// <summary>The plain git CLI against the real host's smart-HTTP server.</summary>
public sealed class GitSmartHttpTests : HostPerTest
{
    [Theory]
    [InlineData("2")]
    [InlineData("0")]
    public async Task Git_clones_fetches_and_pushes_new_branches_updates_deletes_and_tags(string protocol)
    {
        var repoId = await Host.CreateRepoAsync("demo-" + protocol);
        var url = Host.GitUrl(repoId);
        var source = await TestGit.InitAsync(Work.Combine("source"));
        await TestGit.RunAsync(source, "-c", $"protocol.version={protocol}", "push", url, "main");

        var clone = Work.Combine("clone");
        await TestGit.RunAsync(Work.Path, "-c", $"protocol.version={protocol}", "clone", "--quiet", url, clone);
        Assert.Equal(await TestGit.RunAsync(source, "rev-parse", "main"), await TestGit.RunAsync(clone, "rev-parse", "HEAD"));

        await TestGit.RunAsync(clone, "checkout", "--quiet", "-b", "feature/x");
        var featureSha = await TestGit.CommitFileAsync(clone, "src/x.txt", "x\n", "Add x");
        await TestGit.RunAsync(clone, "tag", "-a", "v1.0", "-m", "release");
        await TestGit.RunAsync(clone, "push", "--quiet", "origin", "feature/x", "v1.0");

        await TestGit.RunAsync(clone, "checkout", "--quiet", "main");
        var mainSha = await TestGit.CommitFileAsync(clone, "README.md", "# updated\n", "Update readme");
        await TestGit.RunAsync(clone, "push", "--quiet", "origin", "main");

        await TestGit.RunAsync(source, "-c", $"protocol.version={protocol}", "fetch", "--quiet", url, "+refs/*:refs/remotes/lazyaf/*");
        Assert.Equal(mainSha, await TestGit.RunAsync(source, "rev-parse", "refs/remotes/lazyaf/heads/main"));
        Assert.Equal(featureSha, await TestGit.RunAsync(source, "rev-parse", "refs/remotes/lazyaf/heads/feature/x"));

        await TestGit.RunAsync(clone, "push", "--quiet", "origin", "--delete", "feature/x");
        var refs = await TestGit.LsRemoteAsync(Work.Path, url);
        Assert.Equal(["refs/heads/main", "refs/tags/v1.0"], refs.Keys.Order().ToArray());
        Assert.Equal(mainSha, refs["refs/heads/main"]);
    }
}
