using System.Net;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>
/// The fix loop with a real agent: a card's review pipeline fails its tests, a Claude Code fix step (the real CLI
/// against the scripted model server) gets the failures, fixes the code on the card's branch, the tests run again
/// and pass, and the card merges itself. And the loop that never fixes anything: bounded, the card failed.
/// </summary>
public sealed class AgentFixLoopTests : IAsyncLifetime
{
    private const string Pipeline = """
        name: review
        max_attempts: 3
        triggers:
          - card_complete: {on_pass: merge, on_fail: fail}
        steps:
          - id: test
            config: {command: "sh test.sh"}
            on_failure: run:fix
          - id: fix
            type: agent
            config:
              agent: claude-code
              prompt_template: "The tests of {{branch}} fail:\n{{test_failures}}\nFix the code, not the tests."
        """;

    // add.sh is wrong; test.sh writes a JUnit report naming the test that fails.
    private const string Test = """
        got=$(sh add.sh 2 3)
        if [ "$got" = 5 ]; then result='<testcase classname="add" name="adds_two_numbers"/>'; failures=0
        else result="<testcase classname=\"add\" name=\"adds_two_numbers\"><failure message=\"expected 5, got $got\"/></testcase>"; failures=1; fi
        printf '<testsuite name="add" tests="1" failures="%s">%s</testsuite>\n' "$failures" "$result" > report.xml
        exit "$failures"
        """;

    private readonly TempDir _work = new();
    private ClaudeHost _claude = null!;

    private HttpClient Api => _claude.Host.Client;

    public async Task InitializeAsync()
    {
        _claude = await ClaudeHost.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_failing_test_is_fixed_by_claude_on_the_cards_branch_the_test_reruns_and_passes_and_the_card_merges()
    {
        var repo = await ReviewedRepoAsync("fix-loop");
        _claude.Model.Play(
            ModelTurn.Call("Write", new { file_path = "add.sh", content = "echo $(($1 + $2))\n" }),
            ModelTurn.Say("add.sh adds now."));
        var cards = new ScriptCards(Api);

        var (card, branch) = await cards.InReviewAsync(repo.Id, "echo feature > feature.txt");

        var run = Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1, TimeSpan.FromSeconds(120)));
        Assert.Equal("passed", run.Str("state"));
        var detail = await (await Api.GetAsync($"/api/pipeline-runs/{run.Str("id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["test:1:failed", "fix:1:passed", "test:2:passed"], Attempts(detail));
        await cards.StatusAsync(card, "done");
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("echo $(($1 + $2))", await repo.GitAsync("show", "origin/main:add.sh"));
        Assert.Equal("feature", await repo.GitAsync("show", "origin/main:feature.txt"));

        // The fix step's prompt carried the failing test and its message, on the card's branch.
        var prompt = _claude.Model.Requests[0]["messages"]!.ToJsonString();
        Assert.Contains("adds_two_numbers", prompt, StringComparison.Ordinal);
        Assert.Contains("expected 5, got 23", prompt, StringComparison.Ordinal);
        Assert.Contains(branch, prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fix_that_never_works_stops_the_loop_and_fails_the_card_with_the_repeated_failure()
    {
        var repo = await ReviewedRepoAsync("fix-never");
        _claude.Model.Play(ModelTurn.Say("I could not find the bug."), ModelTurn.Say("Still nothing."), ModelTurn.Say("Nothing."));
        var cards = new ScriptCards(Api);

        var (card, _) = await cards.InReviewAsync(repo.Id, "echo feature > feature.txt");

        var run = Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1, TimeSpan.FromSeconds(120)));
        Assert.Equal("failed", run.Str("state"));
        Assert.Contains("fix loop made no progress", run.Str("error"), StringComparison.Ordinal);
        var detail = await (await Api.GetAsync($"/api/pipeline-runs/{run.Str("id")}")).JsonAsync(HttpStatusCode.OK);
        var attempts = Attempts(detail);
        Assert.True(attempts.Count(a => a.StartsWith("test:", StringComparison.Ordinal)) <= 3, string.Join(", ", attempts));
        Assert.All(attempts.Where(a => a.StartsWith("test:", StringComparison.Ordinal)), a => Assert.EndsWith(":failed", a, StringComparison.Ordinal));
        await cards.StatusAsync(card, "failed");
        var (_, _, reason) = await cards.LastMoveAsync(card);
        Assert.Contains("no progress", reason, StringComparison.Ordinal);
        Assert.Contains("adds_two_numbers", reason, StringComparison.Ordinal);
    }

    private async Task<SeededRepo> ReviewedRepoAsync(string name)
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, name);
        await repo.CommitAsync("add.sh", "echo $1$2\n", "add, wrongly");
        await repo.CommitAsync("test.sh", Test + "\n", "a test");
        await repo.CommitAsync(".lazyaf/pipelines/review.yml", Pipeline, "review pipeline");
        await repo.PushAsync("main");
        return repo;
    }

    private static List<string> Attempts(JsonElement run) =>
        [.. run.GetProperty("steps").EnumerateArray()
            .SelectMany(s => s.GetProperty("attempts").EnumerateArray().Select(a => (Step: s.Str("id"), Attempt: a)))
            .OrderBy(a => a.Attempt.GetProperty("started_at").GetDateTimeOffset())
            .Select(a => $"{a.Step}:{a.Attempt.GetProperty("attempt").GetInt32()}:{a.Attempt.Str("state")}")];
}
