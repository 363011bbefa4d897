using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf repos</c> and <c>lazyaf branches</c> print what the API has.</summary>
public sealed class ListingTests : CliTest
{
    [Fact]
    public async Task Repos_lists_every_repo_with_id_default_branch_and_clone_url()
    {
        var empty = (await Cli.RunAsync(Work.Path, "repos")).AssertSucceeded();
        Assert.Contains("No repos yet", empty.Output, StringComparison.Ordinal);
        await Host.CreateRepoAsync("alpha");
        await Host.CreateRepoAsync("beta", defaultBranch: "trunk");

        var result = (await Cli.RunAsync(Work.Path, "repos")).AssertSucceeded();

        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "ID", "DEFAULT", "BRANCH", "CLONE", "URL"], Cells(lines[0]));
        var repos = await Host.Client.GetFromJsonAsync<JsonElement[]>("/api/repos", LazyAfHost.Json);
        Assert.Equal(2, repos!.Length);
        Assert.Equal(
            repos.Select(r => new[] { "name", "id", "default_branch", "clone_url" }.Select(p => r.GetProperty(p).GetString()!).ToArray()),
            lines.Skip(1).Select(Cells));
    }

    [Fact]
    public async Task Repo_delete_needs_yes_then_deletes_the_repo_and_an_unknown_repo_is_one_line()
    {
        var id = await Host.CreateRepoAsync("doomed");
        await Host.CreateRepoAsync("kept");

        var refused = (await Cli.RunAsync(Work.Path, "repo", "delete", "doomed")).AssertFailedWithOneLine();
        Assert.Contains("run again with --yes", refused, StringComparison.Ordinal);
        Assert.Contains(id, (await Cli.RunAsync(Work.Path, "repos")).AssertSucceeded().Output, StringComparison.Ordinal);

        var deleted = (await Cli.RunAsync(Work.Path, "repo", "delete", "doomed", "--yes")).AssertSucceeded();

        Assert.StartsWith($"Deleted repo doomed ({id})", deleted.Output, StringComparison.Ordinal);
        var left = (await Cli.RunAsync(Work.Path, "repos")).AssertSucceeded().Output;
        Assert.DoesNotContain(id, left, StringComparison.Ordinal);
        Assert.Contains("kept", left, StringComparison.Ordinal);
        Assert.Contains("no repo named 'doomed'", (await Cli.RunAsync(Work.Path, "repo", "delete", "doomed", "--yes")).AssertFailedWithOneLine(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Branches_lists_each_branch_tip_and_marks_the_default()
    {
        var source = await TestGit.InitAsync(Work.Combine("app"));
        await TestGit.RunAsync(source, "checkout", "--quiet", "-b", "feature/login");
        var featureSha = await TestGit.CommitFileAsync(source, "login.txt", "login\n", "Add login page");
        await TestGit.RunAsync(source, "checkout", "--quiet", "main");
        var mainSha = await TestGit.RunAsync(source, "rev-parse", "main");
        var repoId = (await Cli.RunAsync(source, "ingest", ".", "--all-branches")).AssertSucceeded().RepoId;

        var byName = (await Cli.RunAsync(Work.Path, "branches", "app")).AssertSucceeded();
        var byId = (await Cli.RunAsync(Work.Path, "branches", repoId)).AssertSucceeded();

        Assert.Equal(byName.Output, byId.Output);
        var lines = byName.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        Assert.StartsWith("   feature/login  " + featureSha[..12], lines[1], StringComparison.Ordinal);
        Assert.EndsWith("Add login page", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("*  main           " + mainSha[..12], lines[2], StringComparison.Ordinal);
        Assert.EndsWith("Initial commit", lines[2], StringComparison.Ordinal);
    }

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
