using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.Codex;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>The Codex parser against output of the real codex 0.169.0, recorded against the scripted model server.</summary>
public sealed class CodexStreamParserTests
{
    [Fact]
    public void A_run_that_writes_a_file_and_runs_a_command_becomes_typed_events_in_order()
    {
        var events = Parse("write-and-shell");

        Assert.Equal(
            [AgentEventKind.SessionStarted, AgentEventKind.ToolCall, AgentEventKind.ToolResult, AgentEventKind.ToolCall,
             AgentEventKind.ToolResult, AgentEventKind.AssistantText, AgentEventKind.Result],
            events.Select(e => e.Kind));
        Assert.Equal("01a20cc2-1cbf-7761-adc5-7e141b004a40", events[0].SessionId);
        var (patch, patched) = (events[1], events[2]);
        Assert.Equal(("file_change", "add /tmp/rec/cws-write-and-shell/hello.txt"), (patch.ToolName, patch.Summary));
        Assert.Equal((patch.ToolUseId, false), (patched.ToolUseId, patched.IsError));
        var (shell, shellOutput) = (events[3], events[4]);
        Assert.Equal(("command_execution", "/bin/bash -lc 'ls && cat hello.txt'"), (shell.ToolName, shell.Summary));
        Assert.Equal(("hello.txt\nHello from Codex\n", false), (shellOutput.Summary, shellOutput.IsError));
        Assert.Equal("I wrote hello.txt and listed the files.", events[5].Text);
        var result = events[6];
        Assert.Equal((false, "success", "01a20cc2-1cbf-7761-adc5-7e141b004a40"), (result.IsError, result.Subtype, result.SessionId));
        Assert.Equal("I wrote hello.txt and listed the files.", result.Text);
        Assert.Equal(new AgentUsage(3, 360, 90, null, null), result.Usage);
    }

    [Fact]
    public void A_command_that_exits_non_zero_is_a_failed_tool_result()
    {
        var result = Parse("failing-shell").Single(e => e.Kind == AgentEventKind.ToolResult);

        Assert.True(result.IsError);
        Assert.Equal("cat: missing.txt: No such file or directory\n", result.Summary);
    }

    [Fact]
    public void A_warning_item_stays_raw_and_the_run_still_succeeds()
    {
        var events = Parse("unknown-model");

        Assert.Contains(events, e => e.Kind == AgentEventKind.Raw && e.Text!.Contains("Model metadata for `gpt-scripted` not found", StringComparison.Ordinal));
        Assert.Equal((AgentEventKind.Result, false), (events[^1].Kind, events[^1].IsError));
    }

    [Fact]
    public void In_the_read_only_sandbox_a_write_fails()
    {
        var events = Parse("read-only-sandbox");

        var result = events.Single(e => e.Kind == AgentEventKind.ToolResult);
        Assert.True(result.IsError);
        Assert.Contains("hello.txt: No such file or directory", result.Summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http-401", "401 Unauthorized: API key not valid")]
    [InlineData("http-503", "503 Service Unavailable: The model is overloaded.")]
    [InlineData("garbage-stream", "stream closed before response.completed")]
    public void A_failed_turn_ends_in_an_error_result_with_the_clis_message_and_keeps_the_retry_notices(string recording, string message)
    {
        var events = Parse(recording);

        var result = events[^1];
        Assert.Equal((AgentEventKind.Result, true, "turn_failed"), (result.Kind, result.IsError, result.Subtype));
        Assert.Contains(message, result.Text, StringComparison.Ordinal);
        Assert.Contains(events, e => e.Kind == AgentEventKind.Raw && e.Text!.Contains("Reconnecting... 1/1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_tool_item_that_completes_without_starting_gets_its_call_too()
    {
        var events = new CodexStreamParser(new CodexSessionRecord("/nonexistent")).Parse("""{"type":"item.completed","item":{"id":"item_3","type":"web_search","query":"dotnet 10 aot"}}""");

        Assert.Equal([AgentEventKind.ToolCall, AgentEventKind.ToolResult], events.Select(e => e.Kind));
        Assert.Equal(("web_search", "dotnet 10 aot", "item_3"), (events[0].ToolName, events[0].Summary, events[1].ToolUseId));
    }

    [Theory]
    [InlineData("""{"type":"error","message":"Reconnecting... 1/5"}""")]
    [InlineData("""{"type":"item.completed","item":{"id":"item_0","type":"reasoning","text":"thinking"}}""")]
    [InlineData("""{"type":"item.updated","item":{"id":"item_1","type":"todo_list","items":[]}}""")]
    [InlineData("""{"type":"turn.completed","usage":""")]
    [InlineData("garbage <html>")]
    [InlineData("42")]
    public void Unknown_and_malformed_lines_are_kept_raw(string line)
    {
        var events = new CodexStreamParser(new CodexSessionRecord("/nonexistent")).Parse(line);

        var raw = Assert.Single(events);
        Assert.Equal(AgentEventKind.Raw, raw.Kind);
        Assert.Equal(line, raw.Text);
    }

    private static List<AgentEvent> Parse(string recording) => Recording.Parse(new CodexStreamParser(new CodexSessionRecord("/nonexistent")), "codex", recording + ".jsonl");
}
