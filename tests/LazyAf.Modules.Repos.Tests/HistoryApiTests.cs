using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Repos.Tests;

public sealed class HistoryApiTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_diff_starts_at_the_merge_base_and_lists_status_line_counts_and_patches()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "diff");
        await repo.CommitAsync("keep.txt", "one\ntwo\nthree\n", "Add keep");
        await repo.CommitAsync("gone.txt", "bye\n", "Add gone");
        await repo.CommitAsync("moved.txt", string.Concat(Enumerable.Repeat("same line\n", 20)), "Add moved");
        await repo.PushAsync("main");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        await repo.CommitAsync("keep.txt", "one\n2\nthree\nfour\n", "Edit keep");
        await repo.CommitAsync("new.txt", "brand new\n", "Add new");
        await repo.GitAsync("rm", "--quiet", "gone.txt");
        await repo.GitAsync("mv", "moved.txt", "renamed.txt");
        await repo.GitAsync("commit", "--quiet", "-m", "Remove and rename");
        await repo.PushAsync("feature");
        // main moves on after the branch point: none of this may show up in the feature's diff.
        await repo.GitAsync("checkout", "--quiet", "main");
        await repo.CommitAsync("main-only.txt", "main\n", "Main moves on");
        await repo.PushAsync("main");

        var diff = await (await Api.GetAsync($"/api/repos/{repo.Id}/diff?base=main&head=feature")).JsonAsync(HttpStatusCode.OK);

        var files = diff.GetProperty("files").EnumerateArray().ToDictionary(f => f.Str("path"));
        Assert.Equal(["gone.txt", "keep.txt", "new.txt", "renamed.txt"], files.Keys.Order().ToArray());
        Assert.Equal("deleted", files["gone.txt"].Str("status"));
        Assert.Equal("added", files["new.txt"].Str("status"));
        Assert.Equal("renamed", files["renamed.txt"].Str("status"));
        Assert.Equal("moved.txt", files["renamed.txt"].Str("old_path"));
        Assert.Equal("modified", files["keep.txt"].Str("status"));
        Assert.Equal(2, files["keep.txt"].GetProperty("additions").GetInt32());
        Assert.Equal(1, files["keep.txt"].GetProperty("deletions").GetInt32());
        Assert.Contains("+four", files["keep.txt"].Str("patch"), StringComparison.Ordinal);
        Assert.Contains("-two", files["keep.txt"].Str("patch"), StringComparison.Ordinal);
        Assert.Equal(await repo.GitAsync("merge-base", "main", "feature"), diff.Str("merge_base_sha"));
    }

    [Fact]
    public async Task Diff_of_unknown_revisions_is_404_and_of_missing_or_option_like_ones_400()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "diff-bad");
        await (await Api.GetAsync($"/api/repos/{repo.Id}/diff?base=main&head=nope")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/diff?base=main")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/diff?base=--output=x&head=main")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Commits_are_newest_first_limited_and_per_branch()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "commits");
        for (var i = 1; i <= 5; i++)
            await repo.CommitAsync("n.txt", $"{i}\n", $"Commit {i}");
        await repo.PushAsync("main");

        var commits = await (await Api.GetAsync($"/api/repos/{repo.Id}/commits?limit=3")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(["Commit 5", "Commit 4", "Commit 3"], commits.EnumerateArray().Select(c => c.Str("subject")).ToArray());
        Assert.Equal(await repo.GitAsync("rev-parse", "HEAD~1"), commits[0].GetProperty("parents")[0].GetString());
        await (await Api.GetAsync($"/api/repos/{repo.Id}/commits?branch=nope")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/commits?limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/commits?limit=5000")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/commits?limit=abc")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_empty_repo_has_no_branches_and_no_commits_yet()
    {
        var id = await fixture.Host.CreateRepoAsync("empty");
        Assert.Equal(0, (await (await Api.GetAsync($"/api/repos/{id}/branches")).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Equal(0, (await (await Api.GetAsync($"/api/repos/{id}/commits")).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
    }

    [Fact]
    public async Task Branches_are_listed_and_deleted_but_the_default_branch_is_protected()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "branches");
        await repo.GitAsync("branch", "feature/nested");
        await repo.PushAsync("feature/nested");

        var branches = await (await Api.GetAsync($"/api/repos/{repo.Id}/branches")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["feature/nested", "main"], branches.EnumerateArray().Select(b => b.Str("name")).ToArray());
        Assert.True(branches[1].GetProperty("is_default").GetBoolean());

        var problem = await (await Api.DeleteAsync($"/api/repos/{repo.Id}/branches/main")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("main", problem.Str("default_branch"));
        await (await Api.DeleteAsync($"/api/repos/{repo.Id}/branches/nope")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.DeleteAsync($"/api/repos/{repo.Id}/branches/bad..name")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/repos/{repo.Id}/branches/feature/nested")).StatusCode);
        Assert.Null(await repo.RemoteShaAsync("feature/nested"));
        Assert.NotNull(await repo.RemoteShaAsync("main"));
        Assert.Contains(await repo.PushesAsync(), p => p.Str("source") == "api" && p.Str("ref") == "refs/heads/feature/nested");
    }

    [Fact]
    public async Task A_branch_of_a_hundred_path_segments_is_listed_shown_and_deleted_beside_the_others()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "deep-branch");
        var deep = string.Join('/', Enumerable.Range(0, 100).Select(i => $"s{i % 10}"));
        await repo.GitAsync("checkout", "--quiet", "-b", deep);
        var sha = await repo.CommitAsync("deep.txt", "deep\n", "Deep");
        await repo.PushAsync(deep);

        var branches = await (await Api.GetAsync($"/api/repos/{repo.Id}/branches")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["main", deep], branches.EnumerateArray().Select(b => b.Str("name")).ToArray());
        Assert.Equal(sha, branches.EnumerateArray().Last().Str("sha"));
        var commits = await (await Api.GetAsync($"/api/repos/{repo.Id}/commits?branch={Uri.EscapeDataString(deep)}&limit=1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(sha, commits.EnumerateArray().Single().Str("sha"));

        (await Api.DeleteAsync($"/api/repos/{repo.Id}/branches/{deep}")).EnsureSuccessStatusCode();
        var left = await (await Api.GetAsync($"/api/repos/{repo.Id}/branches")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["main"], left.EnumerateArray().Select(b => b.Str("name")).ToArray());
        Assert.Null(await repo.RemoteShaAsync(deep));
    }
}
