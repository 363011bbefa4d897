using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Cli.Tests;

/// <summary>Agent cards from the CLI: the agent's events read as lines, and a follow-up continues the session.</summary>
public sealed class AgentRunTests : ClaudeCliTest
{
    [Fact]
    public async Task Start_follow_shows_the_agents_tool_calls_and_result_and_follow_up_continues_it()
    {
        Claude.Model.Play(ModelTurn.Call("Write", new { file_path = "hello.txt", content = "hi\n" }), ModelTurn.Say("Wrote hello.txt."));
        await SeededRepo.CreateAsync(Claude.Host, Work, "agent-cli");
        var card = Lines((await Cli.RunAsync(Work.Path, "card", "create", "agent-cli", "--title", "Say hello", "--agent", "claude-code")).AssertSucceeded().Output)[0];

        var start = (await Cli.RunAsync(Work.Path, "card", "start", card, "-f")).AssertExitedZero();

        var lines = Lines(start.Output);
        Assert.Contains(lines, l => l.StartsWith("[agent] session ", StringComparison.Ordinal));
        Assert.Contains("[agent] → Write hello.txt", lines);
        Assert.Contains(lines, l => l.StartsWith("[agent] ← ok: File created successfully", StringComparison.Ordinal));
        Assert.Contains("[agent] Wrote hello.txt.", lines);
        Assert.Contains(lines, l => l.StartsWith("[agent] done (success), 2 turns", StringComparison.Ordinal) && l.Contains('$', StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("\"kind\"", StringComparison.Ordinal));

        Claude.Model.Play(ModelTurn.Say("Nothing more to do."));
        var followUp = (await Cli.RunAsync(Work.Path, "card", "follow-up", card, "-m", "Anything else?", "-f")).AssertExitedZero();
        Assert.Matches($"^Following up card {card}: attempt 2 on branch lazyaf/card-", Lines(followUp.Output)[1]);
        Assert.Contains("[agent] Nothing more to do.", Lines(followUp.Output));

        // A scripted model's few tokens cost a fraction of a cent, which must not read as nothing.
        var show = (await Cli.RunAsync(Work.Path, "card", "show", card)).AssertSucceeded().Output;
        Assert.Matches(@"\$0\.00\d*[1-9]", show);
        Assert.DoesNotMatch(@"\$0\.00(?!\d)", show);

        var missing = await Cli.RunAsync(Work.Path, "card", "follow-up", card);
        Assert.NotEqual(0, missing.ExitCode);
    }

    [Fact]
    public async Task Approvals_lists_a_pending_request_of_any_execution_until_it_is_denied()
    {
        Claude.Model.Play(ModelTurn.Call("Bash", new { command = "touch bash-ran.txt", description = "make a marker" }), ModelTurn.Say("Understood."));
        var repo = await SeededRepo.CreateAsync(Claude.Host, Work, "agent-approvals");
        var card = (await (await Claude.Host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards", new
        {
            title = "Ask first", step_type = "agent", step_config = new { agent = "claude-code", approval = true },
        })).JsonAsync(System.Net.HttpStatusCode.Created)).Str("id");
        var execution = Lines((await Cli.RunAsync(Work.Path, "card", "start", card)).AssertSucceeded().Output)[0];

        var pending = await Eventually.ValueAsync(
            async () => JsonDocument.Parse((await Cli.RunAsync(Work.Path, "approvals", "--json")).AssertSucceeded().Output).RootElement,
            list => list.GetArrayLength() == 1, TimeSpan.FromSeconds(60));
        var request = pending[0];
        Assert.Equal((execution, card, "Bash", "touch bash-ran.txt", "pending"),
            (request.Str("execution_id"), request.Str("card_id"), request.Str("tool_name"), request.Str("summary"), request.Str("state")));
        var table = Lines((await Cli.RunAsync(Work.Path, "approvals")).AssertSucceeded().Output);
        Assert.Equal(["EXECUTION", "REQUEST", "FOR", "TOOL", "REQUESTED", "SUMMARY"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"{execution} {request.Str("request_id")} card {card} Bash ", string.Join(' ', table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
        Assert.Equal("Answer with: lazyaf execution allow|deny EXECUTION REQUEST", table[^1]);

        (await Cli.RunAsync(Work.Path, "execution", "deny", execution, request.Str("request_id"), "-m", "not now")).AssertSucceeded();

        Assert.Equal("no pending approval requests", (await Cli.RunAsync(Work.Path, "approvals")).AssertSucceeded().Output.Trim());
        var denied = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "approvals", "--state", "denied", "--json")).AssertSucceeded().Output).RootElement;
        Assert.Equal(("denied", "not now"), (denied[0].Str("state"), denied[0].Str("message")));
        var usage = await Cli.RunAsync(Work.Path, "approvals", "--state", "maybe");
        Assert.Equal(2, usage.ExitCode);
        Assert.StartsWith("lazyaf: ", usage.Error, StringComparison.Ordinal);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
