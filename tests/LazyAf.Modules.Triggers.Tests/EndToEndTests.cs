using System.Net;
using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.LiveEvents;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>
/// The issue's acceptance through the whole host: pipelines defined in the repo's <c>.lazyaf/pipelines</c>, real
/// git pushes, real script steps run by the Pipelines and Execution modules, and the trigger actions on the card.
/// </summary>
public sealed class EndToEndTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Secret = "a webhook secret";
    private readonly TempDir _work = new();

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_card_in_review_runs_its_card_complete_pipeline_at_the_branch_sha_and_on_pass_merges_it_to_done()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "e2e-card");
        await repo.CommitAsync(".lazyaf/pipelines/review.yml",
            PipelineRuns.ScriptPipeline("review", "card_complete: {on_pass: merge, on_fail: fail}", "grep -q work work.txt"), "review pipeline");
        await repo.PushAsync("main");
        var cards = new ScriptCards(Api);

        var (card, branch) = await cards.InReviewAsync(repo.Id, "echo work > work.txt");

        var run = Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1));
        Assert.Equal(("passed", "card_complete", card, branch), (run.Str("state"), run.Str("trigger_kind"), run.Str("card_id"), run.Str("branch")));
        Assert.Equal(await repo.RemoteShaAsync(branch), run.Str("commit_sha"));
        await cards.StatusAsync(card, "done");
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("work", await repo.GitAsync("show", "origin/main:work.txt"));
        await PushTriggerTests.AssertStillAsync(fixture.Host, () => PipelineRuns.Of(Api, repo.Id).Length == 1);
        await AssertEveryTopicCanBeAskedForAsync();
    }

    /// <summary>What <c>/ws</c> refuses as unmatchable must never be a topic an event really carries.</summary>
    private async Task AssertEveryTopicCanBeAskedForAsync()
    {
        await using var connection = await fixture.Host.Services.GetRequiredService<IDatabase>().OpenAsync(default);
        var topics = (await connection.QueryAsync<string>("SELECT topics FROM kernel_outbox"))
            .SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        Assert.Contains(topics, t => t.StartsWith("pipeline_step:", StringComparison.Ordinal));
        Assert.All(topics, t => Assert.Null(LiveTopics.Problem(t)));
    }

    [Fact]
    public async Task A_push_runs_whose_step_commits_a_fix_merge_the_tested_commit_with_the_fix_on_pass()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "e2e-push-fix");
        await repo.GitAsync("checkout", "--quiet", "-b", "feature/format");
        await repo.CommitAsync(".lazyaf/pipelines/format.yml",
            PipelineRuns.ScriptPipeline("format", "push: {branches: ['feature/*'], on_pass: merge}", "echo formatted > formatted.txt", commit: true), "format pipeline");
        await repo.PushAsync("feature/format");

        var run = Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1));

        Assert.Equal("passed", run.Str("state"));
        Assert.NotEqual(run.Str("commit_sha"), run.Str("head_sha"));
        // The step's commit is on main: what was merged is what the run ended with, not the pushed branch as it is.
        await Eventually.HoldsAsync(async () => await repo.RemoteShaAsync("main") == run.Str("head_sha"),
            async () => $"main at {await repo.RemoteShaAsync("main")}; firings: {Firings.Describe(Api, repo.Id)}");
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("formatted", await repo.GitAsync("show", "origin/main:formatted.txt"));
    }

    [Fact]
    public async Task A_card_that_merges_itself_into_main_runs_mains_push_pipeline_on_the_merged_commit_once()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "e2e-merge-push");
        await repo.CommitAsync(".lazyaf/pipelines/review.yml",
            PipelineRuns.ScriptPipeline("review", "card_complete: {on_pass: merge, on_fail: fail}", "grep -q work work.txt"), "review pipeline");
        await repo.CommitAsync(".lazyaf/pipelines/main.yml",
            PipelineRuns.ScriptPipeline("main", "push: {branches: [main]}", "grep -q work work.txt"), "main pipeline");
        await repo.PushAsync("main");
        var cards = new ScriptCards(Api);
        // The push of the pipeline files itself runs main's pipeline once (and fails: no work.txt yet).
        Assert.Equal("failed", Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1)).Str("state"));

        var (card, _) = await cards.InReviewAsync(repo.Id, "echo work > work.txt");

        await cards.StatusAsync(card, "done", TimeSpan.FromSeconds(60));
        var runs = await PipelineRuns.FinishedAsync(Api, repo.Id, 3);
        var afterMerge = runs[^1];
        Assert.Equal(("main", "push", "passed"), (afterMerge.Str("pipeline"), afterMerge.Str("trigger_kind"), afterMerge.Str("state")));
        Assert.Equal(await repo.RemoteShaAsync("main"), afterMerge.Str("commit_sha"));
        await PushTriggerTests.AssertStillAsync(fixture.Host, () => PipelineRuns.Of(Api, repo.Id).Length == 3);
    }

    [Fact]
    public async Task A_failing_card_complete_pipeline_fails_the_card_with_the_runs_error()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "e2e-card-fail");
        await repo.CommitAsync(".lazyaf/pipelines/review.yml",
            PipelineRuns.ScriptPipeline("review", "card_complete: {on_pass: merge, on_fail: fail}", "exit 4"), "review pipeline");
        await repo.PushAsync("main");
        var mainBefore = await repo.RemoteShaAsync("main");
        var cards = new ScriptCards(Api);

        var (card, _) = await cards.InReviewAsync(repo.Id, "echo work > work.txt");

        Assert.Equal("failed", Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1)).Str("state"));
        await cards.StatusAsync(card, "failed");
        var (trigger, _, reason) = await cards.LastMoveAsync(card);
        Assert.Equal("fail", trigger);
        Assert.Contains("pipeline review", reason, StringComparison.Ordinal);
        Assert.Equal(mainBefore, await repo.RemoteShaAsync("main"));
    }

    [Fact]
    public async Task A_push_to_a_matching_branch_runs_once_and_the_runners_own_lazyaf_pushes_trigger_no_loop()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "e2e-push");
        // The step changes a file, so the runner commits and pushes its work branch (lazyaf/run-…), which `**` would match.
        await repo.CommitAsync(".lazyaf/pipelines/ci.yml",
            PipelineRuns.ScriptPipeline("ci", "push: {branches: [\"feature/**\"]}", "date > built.txt", commit: true), "ci pipeline");
        await repo.CommitAsync(".lazyaf/pipelines/all.yml",
            PipelineRuns.ScriptPipeline("all", "push: {branches: [\"**\"]}", "date > everything.txt", commit: true), "all pipeline");
        await repo.PushAsync("main");
        await PipelineRuns.FinishedAsync(Api, repo.Id, 1);

        await repo.GitAsync("checkout", "--quiet", "-b", "feature/a/b");
        var sha = await repo.CommitAsync("f.txt", "f\n", "feature");
        await repo.PushAsync("feature/a/b");

        var runs = await PipelineRuns.FinishedAsync(Api, repo.Id, 3);
        Assert.Equal(["all:feature/a/b", "all:main", "ci:feature/a/b"], runs.Select(r => $"{r.Str("pipeline")}:{r.Str("branch")}").Order(StringComparer.Ordinal));
        Assert.All(runs.Where(r => r.Str("branch") == "feature/a/b"), r => Assert.Equal(sha, r.Str("commit_sha")));
        Assert.All(runs, r => Assert.Equal("passed", r.Str("state")));
        var lazyafPushes = (await repo.PushesAsync()).Where(p => p.Str("ref").StartsWith("refs/heads/lazyaf/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(lazyafPushes);
        await PushTriggerTests.AssertStillAsync(fixture.Host, () => PipelineRuns.Of(Api, repo.Id).Length == 3);
    }

    [Fact]
    public async Task A_GitHub_webhook_with_a_valid_signature_runs_its_pipeline_and_an_invalid_one_is_401_and_runs_nothing()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "e2e-webhook");
        await repo.CommitAsync(".lazyaf/pipelines/hook.yml", PipelineRuns.ScriptPipeline("hook", "webhook: {}", "true"), "hook pipeline");
        await repo.PushAsync("main");
        var sha = (await repo.RemoteShaAsync("main"))!;
        var webhooks = new Webhooks(Api);
        var (token, _) = await webhooks.AddAsync(repo.Id, "hook", "github", Secret);

        await (await webhooks.GitHubPushAsync(token, Secret, "main", sha, signatureOverride: "sha256=" + new string('0', 64))).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await webhooks.GitHubPushAsync(token, "the wrong secret", "main", sha)).ProblemAsync(HttpStatusCode.Unauthorized);
        await PushTriggerTests.AssertStillAsync(fixture.Host, () => PipelineRuns.Of(Api, repo.Id).Length == 0);

        var accepted = await (await webhooks.GitHubPushAsync(token, Secret, "main", sha)).JsonAsync(HttpStatusCode.Accepted);
        var run = Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1));
        Assert.Equal(("passed", "webhook", sha, accepted.Str("id")), (run.Str("state"), run.Str("trigger_kind"), run.Str("commit_sha"), run.Str("trigger_id")));
    }
}
