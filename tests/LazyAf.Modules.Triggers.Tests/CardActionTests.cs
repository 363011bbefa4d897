using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Testing;
using static LazyAf.Modules.Triggers.Tests.FakePipelines;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>
/// Real script cards that reach review fire their card_complete pipeline; the test ends the run as the
/// Pipelines module would and checks what the trigger's action did to the card and the branches.
/// </summary>
public sealed class CardActionTests : IAsyncLifetime
{
    private readonly FakePipelines _pipelines = new();
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;
    private ScriptCards _cards = null!;

    public Task InitializeAsync()
    {
        _host = StartHost(_pipelines);
        _cards = new ScriptCards(_host.Client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_card_in_review_runs_its_pipeline_at_the_branch_head_and_on_pass_merge_makes_it_done_with_main_holding_the_work()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "card-merge");
        _pipelines.Define(repo.Id, "review", Trigger(TriggerKinds.CardComplete, onPass: "merge", onFail: "fail"));

        var (card, branch) = await _cards.InReviewAsync(repo.Id, "echo work > work.txt");
        var run = await RunOfAsync(repo.Id);

        Assert.Equal((card, branch, "card_complete"), (run.Request.CardId, run.Request.Branch, run.Request.TriggerKind));
        Assert.Equal(await repo.RemoteShaAsync(branch), run.Request.Commit);
        await FinishAsync(_host, run.RunId, run.Request, PipelineRunState.Passed);

        await _cards.StatusAsync(card, "done");
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("work", await repo.GitAsync("show", "origin/main:work.txt"));
        var (trigger, actor, _) = await _cards.LastMoveAsync(card);
        Assert.Equal(("approve", $"trigger:{run.Request.TriggerId}"), (trigger, actor));
        // Reaching done through the trigger's own approval starts nothing more.
        await PushTriggerTests.AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 1);
        var firing = Assert.Single(await Firings.OfAsync(_host.Client, repo.Id));
        Assert.StartsWith("card done: merged", firing.Str("action"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_cards_whose_branches_hold_the_same_commit_each_get_their_own_card_complete_run()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "same-commit");
        _pipelines.Define(repo.Id, "review", Trigger(TriggerKinds.CardComplete));

        // Steps that change nothing leave both branches at main's head: one commit, two cards to build it for.
        var (first, firstBranch) = await _cards.InReviewAsync(repo.Id, "true");
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => "no run for the first card");
        var (second, secondBranch) = await _cards.InReviewAsync(repo.Id, "true");
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 2, () => "the second card got no run of its own");

        Assert.Equal(await repo.RemoteShaAsync(firstBranch), await repo.RemoteShaAsync(secondBranch));
        Assert.Equal([first, second], _pipelines.RunsOf(repo.Id).Select(r => r.Request.CardId));
        Assert.Equal(2, (await Firings.OfAsync(_host.Client, repo.Id)).Length);
    }

    [Fact]
    public async Task A_merge_that_conflicts_fails_the_card_with_the_conflicting_paths_and_moves_no_ref()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "card-conflict");
        _pipelines.Define(repo.Id, "review", Trigger(TriggerKinds.CardComplete, onPass: "merge"));
        var (card, _) = await _cards.InReviewAsync(repo.Id, "echo from-the-card > README.md");
        var run = await RunOfAsync(repo.Id);
        await repo.CommitAsync("README.md", "main changed it too\n", "main edits the readme");
        await repo.PushAsync("main");
        var mainBefore = await repo.RemoteShaAsync("main");

        await FinishAsync(_host, run.RunId, run.Request, PipelineRunState.Passed);

        await _cards.StatusAsync(card, "failed");
        var (trigger, _, reason) = await _cards.LastMoveAsync(card);
        Assert.Equal("fail", trigger);
        Assert.Contains("conflicts in README.md", reason, StringComparison.Ordinal);
        Assert.Equal(mainBefore, await repo.RemoteShaAsync("main"));
    }

    [Theory]
    [InlineData("fail", "failed", "fail")]
    [InlineData("reject", "todo", "reject")]
    public async Task A_failed_run_applies_on_fail_with_the_runs_error(string onFail, string status, string trigger)
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, $"card-{onFail}");
        _pipelines.Define(repo.Id, "review", Trigger(TriggerKinds.CardComplete, onPass: "merge", onFail: onFail));
        var (card, _) = await _cards.InReviewAsync(repo.Id, "echo work > work.txt");
        var run = await RunOfAsync(repo.Id);

        await FinishAsync(_host, run.RunId, run.Request, PipelineRunState.Failed, "step test failed: 2 of 5 tests failed");
        // Redelivery of the same end (at least once) must not act twice.
        await FinishAsync(_host, run.RunId, run.Request, PipelineRunState.Failed, "step test failed: 2 of 5 tests failed");

        await _cards.StatusAsync(card, status);
        var move = await _cards.LastMoveAsync(card);
        Assert.Equal(trigger, move.Trigger);
        Assert.Contains("2 of 5 tests failed", move.Reason, StringComparison.Ordinal);
        Assert.Equal(await repo.GitAsync("rev-parse", "main"), await repo.RemoteShaAsync("main"));
    }

    [Fact]
    public async Task A_passing_push_run_with_merge_to_a_branch_merges_it_there_and_nothing_does_nothing()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "push-merge");
        _pipelines.Define(repo.Id, "promote", Trigger(TriggerKinds.Push, ["feature/*"], onPass: "merge:release"));
        await repo.PushAsync("main:release");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature/x");
        var sha = await repo.CommitAsync("x.txt", "x\n", "x");
        await repo.PushAsync("feature/x");
        var run = await RunOfAsync(repo.Id);

        await FinishAsync(_host, run.RunId, run.Request, PipelineRunState.Passed);

        await Eventually.HoldsAsync(() => repo.RemoteShaAsync("release").GetAwaiter().GetResult() == sha, () => "release did not move");
        Assert.NotEqual(sha, await repo.RemoteShaAsync("main"));
    }

    private async Task<(string RunId, PipelineRunRequest Request)> RunOfAsync(string repoId)
    {
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repoId).Count == 1, () => $"{_pipelines.RunsOf(repoId).Count} runs: {Firings.Describe(_host.Client, repoId)}");
        return _pipelines.RunsOf(repoId)[0];
    }
}
