using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.ClaudeCode;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>Claude Code's stream-json, as the real claude 2.1.328 printed it against the scripted model server.</summary>
public sealed class ClaudeStreamParserTests
{
    private const string Agent = "claude-code";

    [Fact]
    public void A_run_that_writes_a_file_and_runs_bash_becomes_typed_events_in_order()
    {
        var all = Recording.Parse(new ClaudeStreamParser(), Agent, "write-and-bash.jsonl");
        var events = all.Where(e => e.Kind != AgentEventKind.Usage).ToList();

        // One usage per model message, as it comes: three messages of 120 tokens in.
        Assert.Equal([AgentEventKind.ToolCall, AgentEventKind.Usage], all.Skip(1).Take(2).Select(e => e.Kind));
        Assert.Equal([120L, 120L, 120L], all.Where(e => e.Kind == AgentEventKind.Usage).Select(e => e.Usage!.InputTokens));
        Assert.Equal(
            [AgentEventKind.SessionStarted, AgentEventKind.ToolCall, AgentEventKind.ToolResult, AgentEventKind.ToolCall, AgentEventKind.ToolResult,
             AgentEventKind.AssistantText, AgentEventKind.Result],
            events.Select(e => e.Kind));
        Assert.Equal("1bfdf6d3-3e34-4a27-839d-2d764d1011b7", events[0].SessionId);
        Assert.Equal(("Write", "/tmp/ws1/hello.txt"), (events[1].ToolName, events[1].Summary));
        Assert.Equal(events[1].ToolUseId, events[2].ToolUseId);
        Assert.False(events[2].IsError);
        Assert.Equal(("Bash", "ls"), (events[3].ToolName, events[3].Summary));
        Assert.Equal("hello.txt", events[4].Summary);
        Assert.Equal("All done.", events[5].Text);
        var result = events[6];
        Assert.Equal(("success", false, "All done."), (result.Subtype, result.IsError, result.Text));
        Assert.Equal(new AgentUsage(3, 360, 90, 0.00324m, 317), result.Usage);
    }

    [Fact]
    public void A_permission_request_is_parsed_and_answered_with_the_tools_own_input_or_a_denial()
    {
        var parser = new ClaudeStreamParser();
        var events = Recording.Lines(Agent, "approval-deny-bash.jsonl").SelectMany(parser.Parse).ToList();

        var requests = events.Where(e => e.Kind == AgentEventKind.PermissionRequest).ToList();
        Assert.Equal([("Write", "/tmp/ws2/hello.txt"), ("Bash", "touch bash-ran.txt")], requests.Select(r => (r.ToolName!, r.Summary!)));
        var allow = parser.Answer(requests[0], new ApprovalDecision(true, null));
        Assert.Contains("\"behavior\":\"allow\"", allow, StringComparison.Ordinal);
        Assert.Contains("\"updatedInput\":{\"file_path\":\"/tmp/ws2/hello.txt\",\"content\":\"hi\\n\"}", allow, StringComparison.Ordinal);
        Assert.Contains($"\"request_id\":\"{requests[0].RequestId}\"", allow, StringComparison.Ordinal);
        var deny = parser.Answer(requests[1], new ApprovalDecision(false, "no shell for you"));
        Assert.Contains("\"behavior\":\"deny\",\"message\":\"no shell for you\"", deny, StringComparison.Ordinal);
        Assert.EndsWith("\n", deny, StringComparison.Ordinal);

        var denied = events.Single(e => e.Kind == AgentEventKind.ToolResult && e.IsError == true);
        Assert.Equal("no shell for you", denied.Summary);
    }

    [Theory]
    [InlineData("http-401.jsonl", "Invalid API key · Fix external API key")]
    [InlineData("http-529.jsonl", null)]
    [InlineData("garbage-stream.jsonl", null)]
    public void An_endpoint_failure_ends_in_an_error_result_and_its_retries_are_kept_raw(string recording, string? text)
    {
        var events = Recording.Parse(new ClaudeStreamParser(), Agent, recording);

        var result = events[^1];
        Assert.Equal(AgentEventKind.Result, result.Kind);
        Assert.True(result.IsError);
        if (text is not null)
            Assert.Equal(text, result.Text);
        Assert.NotEmpty(result.Text!);
        if (recording != "garbage-stream.jsonl")
            Assert.Contains(events, e => e.Kind == AgentEventKind.Raw && e.Text!.Contains("api_retry", StringComparison.Ordinal));
    }

    [Fact]
    public void Running_out_of_turns_is_an_error_result_with_its_reason()
    {
        var result = Recording.Parse(new ClaudeStreamParser(), Agent, "max-turns.jsonl")[^1];

        Assert.Equal(("error_max_turns", true), (result.Subtype, result.IsError));
        Assert.Equal("Reached maximum number of turns (3)", result.Text);
        Assert.Equal(4, result.Usage!.Turns);
    }

    [Theory]
    [InlineData("{\"type\":\"stream_event\",\"event\":{}}")]
    [InlineData("{\"type\":\"system\",\"subtype\":\"compact_boundary\"}")]
    [InlineData("{\"type\":\"assistant\"")]
    [InlineData("not json at all")]
    [InlineData("[1,2,3]")]
    public void Unknown_and_malformed_lines_are_kept_raw_never_dropped(string line)
    {
        var e = Assert.Single(new ClaudeStreamParser().Parse(line));

        Assert.Equal((AgentEventKind.Raw, line), (e.Kind, e.Text));
    }

    [Fact]
    public void Events_survive_the_wire_format()
    {
        foreach (var e in Recording.Parse(new ClaudeStreamParser(), Agent, "write-and-bash.jsonl"))
        {
            var line = System.Text.Encoding.UTF8.GetString(AgentEventJson.ToLine(e));
            Assert.Equal(e, AgentEventJson.FromLine(line.TrimEnd('\n')));
        }
    }
}
