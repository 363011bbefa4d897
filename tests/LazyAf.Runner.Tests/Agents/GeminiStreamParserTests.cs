using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.Gemini;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>The Gemini CLI parser against output of the real gemini 0.61.0, recorded against the scripted model server.</summary>
public sealed class GeminiStreamParserTests
{
    [Fact]
    public void A_run_that_writes_a_file_and_runs_a_command_becomes_typed_events_in_order()
    {
        var events = Parse("write-and-shell");

        Assert.Equal(
            [AgentEventKind.SessionStarted, AgentEventKind.ToolCall, AgentEventKind.ToolResult, AgentEventKind.ToolCall,
             AgentEventKind.ToolResult, AgentEventKind.AssistantText, AgentEventKind.Result],
            events.Select(e => e.Kind));
        var started = events[0];
        Assert.Equal("5d608fde-2f50-490e-a7ee-b57373b28394", started.SessionId);
        Assert.Equal("gemini-2.5-flash", started.Model);
        var (write, written) = (events[1], events[2]);
        Assert.Equal(("write_file", "hello.txt"), (write.ToolName, write.Summary));
        Assert.Equal(write.ToolUseId, written.ToolUseId);
        Assert.False(written.IsError);
        var (shell, shellOutput) = (events[3], events[4]);
        Assert.Equal(("run_shell_command", "ls && cat hello.txt"), (shell.ToolName, shell.Summary));
        Assert.Equal(("hello.txt\nHello from Gemini", false), (shellOutput.Summary, shellOutput.IsError));
        Assert.Equal("I wrote hello.txt and listed the files.", events[5].Text);
        var result = events[6];
        Assert.Equal((false, "success", "5d608fde-2f50-490e-a7ee-b57373b28394"), (result.IsError, result.Subtype, result.SessionId));
        Assert.Equal(new AgentUsage(3, 360, 90, null, 354), result.Usage);
    }

    [Fact]
    public void Tools_the_cli_refuses_are_tool_results_with_errors()
    {
        var results = Parse("tools-refused").Where(e => e.Kind == AgentEventKind.ToolResult).ToList();

        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.True(r.IsError));
        Assert.StartsWith("Tool \"write_file\" not found.", results[0].Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_command_reports_its_output()
    {
        var result = Parse("failing-shell").Single(e => e.Kind == AgentEventKind.ToolResult);

        Assert.Equal("cat: missing.txt: No such file or directory", result.Summary);
    }

    [Theory]
    [InlineData("http-401", "unknown", "API key not valid")]
    [InlineData("http-503", "unknown", "The model is overloaded.")]
    [InlineData("garbage-stream", "unknown", "Incomplete JSON segment")]
    [InlineData("max-turns", "FatalTurnLimitedError", "Reached max session turns")]
    public void A_failed_run_ends_in_an_error_result_with_the_clis_message(string recording, string subtype, string message)
    {
        var result = Parse(recording)[^1];

        Assert.Equal(AgentEventKind.Result, result.Kind);
        Assert.True(result.IsError);
        Assert.Equal(subtype, result.Subtype);
        Assert.Contains(message, result.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_echoed_prompt_is_left_out()
    {
        var parser = new GeminiStreamParser(new GeminiSessionRecord("/nonexistent"));

        Assert.Empty(parser.Parse("""{"type":"message","role":"user","content":"a very long prompt"}"""));
    }

    [Theory]
    [InlineData("""{"type":"error","severity":"warning","message":"Loop detected"}""")]
    [InlineData("""{"type":"telemetry","x":1}""")]
    [InlineData("""{"type":"result",""")]
    [InlineData("not json at all")]
    [InlineData("[1,2]")]
    public void Unknown_and_malformed_lines_are_kept_raw(string line)
    {
        var events = new GeminiStreamParser(new GeminiSessionRecord("/nonexistent")).Parse(line);

        var raw = Assert.Single(events);
        Assert.Equal(AgentEventKind.Raw, raw.Kind);
        Assert.Equal(line, raw.Text);
    }

    private static List<AgentEvent> Parse(string recording) => Recording.Parse(new GeminiStreamParser(new GeminiSessionRecord("/nonexistent")), "gemini", recording + ".jsonl");
}
