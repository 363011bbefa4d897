using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Cli.Tests;

/// <summary>Agent cards from the CLI: the agent's events read as lines, and a follow-up continues the session.</summary>
public sealed class AgentRunTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private ClaudeHost _claude = null!;
    private LazyafCli _cli = null!;

    public async Task InitializeAsync()
    {
        _claude = await ClaudeHost.StartAsync();
        _cli = new LazyafCli(_claude.Host);
    }

    public async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Start_follow_shows_the_agents_tool_calls_and_result_and_follow_up_continues_it()
    {
        _claude.Model.Play(ModelTurn.Call("Write", new { file_path = "hello.txt", content = "hi\n" }), ModelTurn.Say("Wrote hello.txt."));
        await SeededRepo.CreateAsync(_claude.Host, _work, "agent-cli");
        var card = Lines((await _cli.RunAsync(_work.Path, "card", "create", "agent-cli", "--title", "Say hello", "--agent", "claude-code")).AssertSucceeded().Output)[0];

        var start = (await _cli.RunAsync(_work.Path, "card", "start", card, "-f")).AssertExitedZero();

        var lines = Lines(start.Output);
        Assert.Contains(lines, l => l.StartsWith("[agent] session ", StringComparison.Ordinal));
        Assert.Contains("[agent] → Write hello.txt", lines);
        Assert.Contains(lines, l => l.StartsWith("[agent] ← ok: File created successfully", StringComparison.Ordinal));
        Assert.Contains("[agent] Wrote hello.txt.", lines);
        Assert.Contains(lines, l => l.StartsWith("[agent] done (success), 2 turns", StringComparison.Ordinal) && l.Contains('$', StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("\"kind\"", StringComparison.Ordinal));

        _claude.Model.Play(ModelTurn.Say("Nothing more to do."));
        var followUp = (await _cli.RunAsync(_work.Path, "card", "follow-up", card, "-m", "Anything else?", "-f")).AssertExitedZero();
        Assert.Matches($"^Following up card {card}: attempt 2 on branch lazyaf/card-", Lines(followUp.Output)[1]);
        Assert.Contains("[agent] Nothing more to do.", Lines(followUp.Output));

        // A scripted model's few tokens cost a fraction of a cent, which must not read as nothing.
        var show = (await _cli.RunAsync(_work.Path, "card", "show", card)).AssertSucceeded().Output;
        Assert.Matches(@"\$0\.00\d*[1-9]", show);
        Assert.DoesNotMatch(@"\$0\.00(?!\d)", show);

        var missing = await _cli.RunAsync(_work.Path, "card", "follow-up", card);
        Assert.NotEqual(0, missing.ExitCode);
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
