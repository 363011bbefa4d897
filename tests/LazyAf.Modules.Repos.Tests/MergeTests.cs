using LazyAf.Modules.Repos.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Repos.Tests;

public sealed class MergeTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    private IBranchMerger Merger => fixture.Host.Services.GetRequiredService<IBranchMerger>();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_branch_ahead_of_the_target_fast_forwards()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "merge-ff");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        var featureSha = await repo.CommitAsync("feature.txt", "feature\n", "Add feature");
        await repo.PushAsync("feature");

        var result = await Merger.MergeAsync(new MergeRequest(repo.Id, "feature", "main"), default);

        Assert.Equal(MergeOutcome.FastForward, result.Outcome);
        Assert.Equal(featureSha, result.TargetSha);
        Assert.Equal(featureSha, await repo.RemoteShaAsync("main"));
        Assert.Contains(await repo.PushesAsync(), p => p.Str("source") == "merge" && p.Str("new_sha") == featureSha && p.Str("ref") == "refs/heads/main");
    }

    [Fact]
    public async Task Diverged_branches_get_a_merge_commit_with_both_tips_as_parents()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "merge-commit");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        var featureSha = await repo.CommitAsync("feature.txt", "feature\n", "Add feature");
        await repo.PushAsync("feature");
        await repo.GitAsync("checkout", "--quiet", "main");
        var mainSha = await repo.CommitAsync("main.txt", "main\n", "Add main");
        await repo.PushAsync("main");

        var result = await Merger.MergeAsync(new MergeRequest(repo.Id, "feature", "main", "Merge card 42"), default);

        Assert.Equal(MergeOutcome.MergeCommit, result.Outcome);
        Assert.Equal(result.TargetSha, await repo.RemoteShaAsync("main"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal($"{mainSha} {featureSha}", await repo.GitAsync("log", "-1", "--format=%P", "origin/main"));
        Assert.Equal("Merge card 42", await repo.GitAsync("log", "-1", "--format=%s", "origin/main"));
        Assert.Equal("README.md\nfeature.txt\nmain.txt", await repo.GitAsync("ls-tree", "--name-only", "origin/main"));
    }

    [Fact]
    public async Task A_conflict_changes_no_ref_and_reports_the_conflicting_paths()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "merge-conflict");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        await repo.CommitAsync("README.md", "feature's readme\n", "Feature readme");
        await repo.CommitAsync("same.txt", "feature\n", "Feature same");
        var featureSha = await repo.GitAsync("rev-parse", "HEAD");
        await repo.PushAsync("feature");
        await repo.GitAsync("checkout", "--quiet", "main");
        await repo.CommitAsync("README.md", "main's readme\n", "Main readme");
        var mainSha = await repo.CommitAsync("same.txt", "main\n", "Main same");
        await repo.PushAsync("main");
        var pushesBefore = (await repo.PushesAsync()).Length;

        var result = await Merger.MergeAsync(new MergeRequest(repo.Id, "feature", "main"), default);

        Assert.Equal(MergeOutcome.Conflict, result.Outcome);
        Assert.Equal(["README.md", "same.txt"], result.ConflictingPaths);
        Assert.Equal(mainSha, await repo.RemoteShaAsync("main"));
        Assert.Equal(featureSha, await repo.RemoteShaAsync("feature"));
        Assert.Equal(pushesBefore, (await repo.PushesAsync()).Length);
        Assert.Equal("", await TestGit.RunAsync(repo.BarePath, "fsck", "--no-dangling"));
    }

    [Fact]
    public async Task Merging_what_the_target_already_contains_is_up_to_date()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "merge-noop");
        var first = await repo.GitAsync("rev-parse", "HEAD");
        var second = await repo.CommitAsync("b.txt", "b\n", "b");
        await repo.PushAsync("main");

        var result = await Merger.MergeAsync(new MergeRequest(repo.Id, first, "main"), default);

        Assert.Equal(MergeOutcome.UpToDate, result.Outcome);
        Assert.Equal(second, await repo.RemoteShaAsync("main"));
    }

    [Theory]
    [InlineData("no-such-branch", "main")]
    [InlineData("main", "no-such-target")]
    [InlineData("--upload-pack=evil", "main")]
    public async Task Unknown_or_malformed_branches_are_rejected_with_a_reason(string source, string target)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "merge-bad-" + Guid.NewGuid().ToString("N")[..6]);
        var result = await Merger.MergeAsync(new MergeRequest(repo.Id, source, target), default);
        Assert.Equal(MergeOutcome.Rejected, result.Outcome);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }

    [Fact]
    public async Task An_unknown_repo_is_rejected()
    {
        var result = await Merger.MergeAsync(new MergeRequest("0123456789abcdef0123456789abcdef", "a", "main"), default);
        Assert.Equal(MergeOutcome.Rejected, result.Outcome);
    }
}
