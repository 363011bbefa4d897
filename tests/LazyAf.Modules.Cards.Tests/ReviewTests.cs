using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Cards.Tests;

public sealed class ReviewTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly Board _board = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Approving_a_branch_ahead_of_main_fast_forwards_and_finishes_the_card()
    {
        var (repo, card) = await CardWithBranchAsync("approve-ff", "feature.txt", "feature\n");
        var branchSha = await repo.RemoteShaAsync("lazyaf/card-1");

        var approved = await (await Api.PostAsync($"/api/cards/{card}/approve", null)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("done", approved.Str("status"));
        Assert.Equal(branchSha, await repo.RemoteShaAsync("main"));
        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        var last = events[events.GetArrayLength() - 1];
        Assert.Equal("approve", last.Str("trigger"));
        Assert.Contains("FastForward", last.Str("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Approving_a_diverged_branch_makes_a_merge_commit_on_the_target()
    {
        var (repo, card) = await CardWithBranchAsync("approve-merge", "feature.txt", "feature\n");
        await repo.GitAsync("checkout", "--quiet", "main");
        var mainSha = await repo.CommitAsync("main.txt", "main\n", "main moves");
        await repo.PushAsync("main");

        await (await Api.PostJsonAsync($"/api/cards/{card}/approve", new { target_branch = "main" })).JsonAsync(HttpStatusCode.OK);

        await repo.GitAsync("fetch", "--quiet", "origin");
        var parents = (await repo.GitAsync("log", "-1", "--format=%P", "origin/main")).Split(' ');
        Assert.Equal([mainSha, (await repo.RemoteShaAsync("lazyaf/card-1"))!], parents);
        Assert.Contains("Merge lazyaf/card-1", await repo.GitAsync("log", "-1", "--format=%s", "origin/main"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_conflicting_approval_is_a_409_with_the_paths_and_changes_neither_card_nor_refs()
    {
        var (repo, card) = await CardWithBranchAsync("approve-conflict", "README.md", "the card's readme\n");
        await repo.GitAsync("checkout", "--quiet", "main");
        await repo.CommitAsync("README.md", "main's readme\n", "main edits the readme");
        await repo.PushAsync("main");
        var refsBefore = await TestGit.LsRemoteAsync(repo.WorkTree, "origin");
        var cardBefore = await _board.GetAsync(card);

        var problem = await (await Api.PostAsync($"/api/cards/{card}/approve", null)).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(["README.md"], problem.GetProperty("conflicting_paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(refsBefore, await TestGit.LsRemoteAsync(repo.WorkTree, "origin"));
        var cardAfter = await _board.GetAsync(card);
        Assert.Equal("in_review", cardAfter.Str("status"));
        Assert.Equal(cardBefore.Str("updated_at"), cardAfter.Str("updated_at"));
    }

    [Fact]
    public async Task Approving_a_card_without_a_branch_is_a_409_naming_the_missing_branch()
    {
        var repo = await fixture.Host.CreateRepoAsync("approve-no-branch");
        var card = await _board.CreateCardAsync(repo);
        await _board.ToReviewAsync(card, branch: null);

        var problem = await (await Api.PostAsync($"/api/cards/{card}/approve", null)).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("branch", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("in_review", problem.Str("current_status"));
        await (await Api.GetAsync($"/api/cards/{card}/diff")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Two_racing_approvals_make_one_merge_and_one_409()
    {
        var (repo, card) = await CardWithBranchAsync("approve-race", "feature.txt", "feature\n");
        await repo.GitAsync("checkout", "--quiet", "main");
        await repo.CommitAsync("main.txt", "main\n", "main moves");
        await repo.PushAsync("main");

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Api.PostAsync($"/api/cards/{card}/approve", null)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        Assert.Single(await repo.PushesAsync(), p => p.Str("source") == "merge");
    }

    [Fact]
    public async Task Rejecting_sends_the_card_back_to_todo_with_the_reason_in_its_history()
    {
        var (_, card) = await CardWithBranchAsync("reject", "f.txt", "f\n");

        var rejected = await (await Api.PostJsonAsync($"/api/cards/{card}/reject", new { reason = "tests are missing" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("todo", rejected.Str("status"));
        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["start", "submit_for_review", "reject"], events.EnumerateArray().Select(e => e.Str("trigger")));
        Assert.Equal("tests are missing", events[2].Str("reason"));
        await (await Api.PostAsync($"/api/cards/{card}/reject", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_card_diff_is_its_branch_against_its_base_from_the_merge_base()
    {
        var (repo, card) = await CardWithBranchAsync("card-diff", "feature.txt", "one\ntwo\n");
        await repo.GitAsync("checkout", "--quiet", "main");
        await repo.CommitAsync("later-on-main.txt", "x\n", "main moves");
        await repo.PushAsync("main");

        var diff = await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK);

        var file = Assert.Single(diff.GetProperty("files").EnumerateArray());
        Assert.Equal("feature.txt", file.Str("path"));
        Assert.Equal(2, file.GetProperty("additions").GetInt32());
    }

    private async Task<(SeededRepo Repo, string CardId)> CardWithBranchAsync(string name, string file, string content)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, name);
        await repo.GitAsync("checkout", "--quiet", "-b", "lazyaf/card-1");
        await repo.CommitAsync(file, content, "The card's work");
        await repo.PushAsync("lazyaf/card-1");
        var card = await _board.CreateCardAsync(repo.Id);
        await _board.ToReviewAsync(card, "lazyaf/card-1");
        return (repo, card);
    }
}
