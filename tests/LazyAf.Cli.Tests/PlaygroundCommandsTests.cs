using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf playground …</c> with the real Claude Code CLI against a scripted model server.</summary>
public sealed class PlaygroundCommandsTests : ClaudeCliTest
{
    [Fact]
    public async Task Run_follow_streams_the_agent_then_show_gives_the_result_and_its_files_and_save_keeps_it_on_a_branch()
    {
        Claude.Model.Play(ModelTurn.Call("Write", new { file_path = "notes/idea.md", content = "try it\n" }), ModelTurn.Say("I wrote notes/idea.md."));
        var repo = await SeededRepo.CreateAsync(Claude.Host, Work, "play-cli");

        var run = (await Cli.RunAsync(Work.Path, "playground", "run", "play-cli", "--agent", "claude-code", "--branch", "main", "Write notes/idea.md", "-f")).AssertExitedZero();

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var id = lines[0];
        Assert.Matches("^[0-9a-f]{32}$", id);
        Assert.StartsWith($"Started playground run {id}: claude-code on main at ", lines[1], StringComparison.Ordinal);
        Assert.Contains("[agent] → Write notes/idea.md", lines);
        Assert.Contains("[agent] I wrote notes/idea.md.", lines);
        Assert.StartsWith($"Playground run {id} succeeded (2 turns, $", lines[^1], StringComparison.Ordinal);

        var shown = (await Cli.RunAsync(Work.Path, "playground", "show", id[^8..])).AssertSucceeded().Output;
        Assert.StartsWith($"Playground run {id}: succeeded\n", shown, StringComparison.Ordinal);
        Assert.Matches(@"added\s+1\s+0\s+notes/idea\.md", shown);
        Assert.Contains("1 files, +1 -0", shown, StringComparison.Ordinal);
        var json = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "playground", "show", id, "--json")).AssertSucceeded().Output).RootElement;
        Assert.Equal(("succeeded", repo.Id, "claude-code"), (json.Str("state"), json.Str("repo_id"), json.Str("agent")));
        var listed = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "playground", "list", "play-cli", "--json")).AssertSucceeded().Output).RootElement;
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).Str("id"));

        var saved = (await Cli.RunAsync(Work.Path, "playground", "save", id[..12], "--branch", "idea")).AssertSucceeded().Output;
        Assert.Equal($"Saved playground run {id} to idea at {json.Str("result_sha")[..8]} (created)\n", saved);
        Assert.Equal(json.Str("result_sha"), await repo.RemoteShaAsync("idea"));
        Assert.Contains("already ended succeeded", (await Cli.RunAsync(Work.Path, "playground", "cancel", id)).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal($"Discarded playground run {id}\n", (await Cli.RunAsync(Work.Path, "playground", "discard", id)).AssertSucceeded().Output);
        Assert.Contains($"no playground run '{id}'", (await Cli.RunAsync(Work.Path, "playground", "show", id)).AssertFailedWithOneLine(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "agent 'nobody' is not known; this host runs: ", "playground", "run", "play-bad", "--agent", "nobody", "do it")]
    [InlineData(1, "no repo named 'ghost'", "playground", "run", "ghost", "--agent", "claude-code", "do it")]
    [InlineData(2, "Option '--agent' is required", "playground", "run", "play-bad", "do it")]
    [InlineData(1, "no playground run 'abcdef12'", "playground", "show", "abcdef12")]
    [InlineData(1, "no playground run 'abcdef12'", "playground", "cancel", "abcdef12")]
    public async Task Bad_playground_input_fails_with_one_line(int exitCode, string message, params string[] args)
    {
        await SeededRepo.CreateAsync(Claude.Host, Work, "play-bad");

        Assert.Contains(message, (await Cli.RunAsync(Work.Path, args)).AssertFailedWithOneLine(exitCode), StringComparison.Ordinal);
    }
}
