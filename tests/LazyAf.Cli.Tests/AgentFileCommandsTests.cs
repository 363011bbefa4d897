using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf agents</c> and <c>lazyaf agent-file …</c> against a real host.</summary>
public sealed class AgentFileCommandsTests : CliTest
{
    [Fact]
    public async Task Agents_lists_the_agent_kinds_the_host_knows_as_a_table_and_as_json()
    {
        var table = (await Cli.RunAsync(Work.Path, "agents")).AssertSucceeded().Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["AGENT", "AVAILABLE", "VERSION", "RUNNER", "MODELS", "PATH"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(table, l => l.StartsWith("claude-code ", StringComparison.Ordinal));

        var agents = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "agents", "--json")).AssertSucceeded().Output).RootElement;
        var kinds = agents.EnumerateArray().Select(a => a.Str("kind")).ToList();
        Assert.Contains("claude-code", kinds);
        Assert.Contains("command", kinds);
        Assert.All(agents.EnumerateArray(), a => Assert.True(a.GetProperty("available").ValueKind is JsonValueKind.True or JsonValueKind.False));
        Assert.Contains("--bogus", (await Cli.RunAsync(Work.Path, "agents", "--bogus")).AssertFailedWithOneLine(exitCode: 2), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_files_are_created_from_stdin_or_a_file_shown_by_name_or_short_id_updated_in_part_and_deleted()
    {
        var made = (await Cli.RunWithInputAsync(Work.Path, "Review the diff.\n", "agent-file", "create", "reviewer", "--description", "Reviews", "--model", "opus")).AssertSucceeded();
        var id = made.Output.Split('\n')[0];
        Assert.Matches("^[0-9a-f]{32}$", id);
        await File.WriteAllTextAsync(Work.Combine("tester.md"), "Write tests first.\n");
        (await Cli.RunAsync(Work.Path, "agent-file", "create", "tester", "--content-file", "tester.md")).AssertSucceeded();

        var listed = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "agent-file", "list", "--json")).AssertSucceeded().Output).RootElement;
        Assert.Equal(["reviewer", "tester"], listed.EnumerateArray().Select(f => f.Str("name")).Order(StringComparer.Ordinal));
        var table = (await Cli.RunAsync(Work.Path, "agent-file", "list")).AssertSucceeded().Output;
        Assert.Matches($@"reviewer\s+{id}\s+opus\s+", table);

        var shown = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "agent-file", "show", id[^8..], "--json")).AssertSucceeded().Output).RootElement;
        Assert.Equal(("reviewer", "Reviews", "Review the diff.\n", "opus"), (shown.Str("name"), shown.Str("description"), shown.Str("content"), shown.Str("model")));
        var text = (await Cli.RunAsync(Work.Path, "agent-file", "show", "tester")).AssertSucceeded().Output;
        Assert.StartsWith("tester (id ", text, StringComparison.Ordinal);
        Assert.EndsWith("\nWrite tests first.\n", text, StringComparison.Ordinal);

        // Only what is given changes: a new description keeps the content and the model; --model "" clears the model.
        (await Cli.RunAsync(Work.Path, "agent-file", "update", "reviewer", "--description", "Reviews diffs")).AssertSucceeded();
        (await Cli.RunWithInputAsync(Work.Path, "Review it twice.\n", "agent-file", "update", id, "--content-file", "-", "--model", "")).AssertSucceeded();
        var updated = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "agent-file", "show", "reviewer", "--json")).AssertSucceeded().Output).RootElement;
        Assert.Equal(("Reviews diffs", "Review it twice.\n", JsonValueKind.Null), (updated.Str("description"), updated.Str("content"), updated.GetProperty("model").ValueKind));

        Assert.Equal($"Deleted agent file tester (id {listed.EnumerateArray().Single(f => f.Str("name") == "tester").Str("id")})\n",
            (await Cli.RunAsync(Work.Path, "agent-file", "delete", "tester")).AssertSucceeded().Output);
        Assert.Equal("lazyaf: no agent file 'tester' (lazyaf agent-file list lists them)", (await Cli.RunAsync(Work.Path, "agent-file", "show", "tester")).AssertFailedWithOneLine());
    }

    [Theory]
    [InlineData(1, "An agent file named 'taken' already exists.", "agent-file", "create", "taken", "--content-file", "taken.md")]
    [InlineData(1, "the instructions from stdin are empty", "agent-file", "create", "empty")]
    [InlineData(1, "does not exist", "agent-file", "create", "nofile", "--content-file", "missing.md")]
    [InlineData(1, "name is required: 1-64 letters", "agent-file", "create", "bad name", "--content-file", "taken.md")]
    [InlineData(1, "no agent file 'ghost'", "agent-file", "update", "ghost", "--description", "x")]
    [InlineData(1, "no agent file 'ghost'", "agent-file", "delete", "ghost")]
    [InlineData(2, "Required argument missing", "agent-file", "show")]
    public async Task Bad_agent_file_input_fails_with_one_line(int exitCode, string message, params string[] args)
    {
        await File.WriteAllTextAsync(Work.Combine("taken.md"), "Be brief.\n");
        (await Cli.RunAsync(Work.Path, "agent-file", "create", "taken", "--content-file", "taken.md")).AssertSucceeded();

        Assert.Contains(message, (await Cli.RunAsync(Work.Path, args)).AssertFailedWithOneLine(exitCode), StringComparison.Ordinal);
    }
}
