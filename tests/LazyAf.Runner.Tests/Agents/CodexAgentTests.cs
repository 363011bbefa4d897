using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.Codex;
using LazyAf.Testing.Models;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>The real codex CLI run as an agent step against the scripted model server (OpenAI Responses API).</summary>
public sealed class CodexAgentTests
{
    // A model Codex knows, so it offers its apply_patch tool (and warns about nothing).
    private const string Model = "gpt-5.5";

    private const string AddHello = "*** Begin Patch\n*** Add File: hello.txt\n+Hello from Codex\n*** End Patch\n";

    [Fact]
    public async Task Codex_writes_a_file_and_runs_a_command_and_its_events_come_out_typed()
    {
        await using var server = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("apply_patch", new { input = AddHello }),
            ModelTurn.Call("exec_command", new { cmd = "wc -c < hello.txt > size.txt && cat hello.txt" }),
            ModelTurn.Say("I wrote hello.txt."));
        using var bed = new AgentStepBed();

        var exitCode = await bed.RunAsync(await AgentAsync(server, bed), AgentStepBed.Spec(Step()));

        Assert.Equal(0, exitCode);
        Assert.Equal("Hello from Codex\n", await File.ReadAllTextAsync(Path.Combine(bed.Workspace, "hello.txt")));
        Assert.Equal("17", (await File.ReadAllTextAsync(Path.Combine(bed.Workspace, "size.txt"))).Trim());
        var events = bed.Events;
        Assert.Equal(
            [AgentEventKind.SessionStarted, AgentEventKind.ToolCall, AgentEventKind.ToolResult, AgentEventKind.ToolCall,
             AgentEventKind.ToolResult, AgentEventKind.AssistantText, AgentEventKind.Result],
            events.Select(e => e.Kind));
        Assert.Equal(("file_change", $"add {Path.Combine(bed.Workspace, "hello.txt")}"), (events[1].ToolName, events[1].Summary));
        Assert.Equal("command_execution", events[3].ToolName);
        Assert.Contains("wc -c < hello.txt", events[3].Summary, StringComparison.Ordinal);
        Assert.Equal(("Hello from Codex\n", false), (events[4].Summary, events[4].IsError));
        var result = events[^1];
        Assert.Equal((false, events[0].SessionId, "I wrote hello.txt."), (result.IsError, result.SessionId, result.Text));
        Assert.Equal((3, 360L, 90L, (decimal?)null), (result.Usage!.Turns, result.Usage.InputTokens, result.Usage.OutputTokens, result.Usage.CostUsd));
        Assert.Equal(0, server.TurnsLeft);
        Assert.Contains("Write hello.txt with a friendly greeting.", server.Requests[0].ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("custom_tool_call_output", server.Requests[1].ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_of_one_megabyte_reaches_the_model()
    {
        await using var server = await ScriptedModelServer.StartAsync(ModelTurn.Say("Read it all."));
        using var bed = new AgentStepBed();
        var description = new string('x', 1_000_000) + " END-OF-PROMPT";

        await bed.RunAsync(await AgentAsync(server, bed), AgentStepBed.Spec(Step(), description));

        var sent = server.Requests[0].ToJsonString();
        Assert.True(sent.Length > 1_000_000);
        Assert.Contains("x END-OF-PROMPT", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_longer_than_codex_takes_is_cut_and_the_model_can_read_the_whole_task_from_its_file()
    {
        await using var server = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("exec_command", new { cmd = "grep -o 'x END-OF-PROMPT' \"$LAZYAF_PROMPT_FILE\" > found.txt" }),
            ModelTurn.Say("I read the whole task."));
        using var bed = new AgentStepBed();
        var description = new string('x', CodexCli.MaxPromptLength) + " END-OF-PROMPT";

        var exitCode = await bed.RunAsync(await AgentAsync(server, bed), AgentStepBed.Spec(Step(), description));

        Assert.Equal(0, exitCode);
        var sent = server.Requests[0].ToJsonString();
        Assert.Contains("Add a greeting", sent, StringComparison.Ordinal);
        Assert.Contains("read the rest of it there", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("END-OF-PROMPT", sent, StringComparison.Ordinal);
        Assert.Equal("x END-OF-PROMPT\n", await File.ReadAllTextAsync(Path.Combine(bed.Workspace, "found.txt")));
    }

    [Fact]
    public async Task A_follow_up_resumes_the_thread()
    {
        await using var server = await ScriptedModelServer.StartAsync(ModelTurn.Say("First answer."), ModelTurn.Say("Second answer."));
        using var bed = new AgentStepBed();
        var agent = await AgentAsync(server, bed);
        await bed.RunAsync(agent, AgentStepBed.Spec(Step()));
        var thread = bed.Events[0].SessionId!;

        var followUp = Step() with { ResumeSession = thread, FollowUp = "Now make it shorter." };
        await bed.RunAsync(agent, AgentStepBed.Spec(followUp));

        var resumed = server.Requests[1].ToJsonString();
        Assert.Contains("Write hello.txt with a friendly greeting.", resumed, StringComparison.Ordinal);
        Assert.Contains("First answer.", resumed, StringComparison.Ordinal);
        Assert.Contains("Now make it shorter.", resumed, StringComparison.Ordinal);
        Assert.Equal(thread, bed.Events.Last(e => e.Kind == AgentEventKind.Result).SessionId);
    }

    [Fact]
    public async Task With_an_approval_gate_nothing_that_changes_the_workspace_runs()
    {
        await using var server = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("apply_patch", new { input = AddHello }),
            ModelTurn.Call("exec_command", new { cmd = "touch ran.txt" }),
            ModelTurn.Say("Done."));
        using var bed = new AgentStepBed();
        var step = Step() with { ApprovalGate = true };

        await bed.RunAsync(await AgentAsync(server, bed, new RefusingApprovals()), AgentStepBed.Spec(step));

        Assert.False(File.Exists(Path.Combine(bed.Workspace, "hello.txt")));
        Assert.False(File.Exists(Path.Combine(bed.Workspace, "ran.txt")));
        Assert.All(bed.Events.Where(e => e.Kind == AgentEventKind.ToolResult), r => Assert.True(r.IsError));
    }

    [Fact]
    public async Task An_endpoint_answering_401_fails_the_step_with_the_clis_error_at_once()
    {
        await using var server = await ScriptedModelServer.StartFailingAsync(401, "application/json", """{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","code":"invalid_api_key"}}""");
        using var bed = new AgentStepBed();

        var (failure, took) = await bed.FailsAsync(await AgentAsync(server, bed), AgentStepBed.Spec(Step()));

        Assert.StartsWith("codex failed (turn_failed)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", failure.Message, StringComparison.Ordinal);
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_endpoint_answering_garbage_fails_the_step_after_one_retry()
    {
        await using var server = await ScriptedModelServer.StartFailingAsync(200, "text/event-stream", "this is not an event stream {{{\n\n");
        using var bed = new AgentStepBed();

        var (failure, took) = await bed.FailsAsync(await AgentAsync(server, bed), AgentStepBed.Spec(Step()));

        Assert.Contains("stream closed before response.completed", failure.Message, StringComparison.Ordinal);
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    private static AgentStepDefinition Step() => new("codex") { Model = Model };

    private static async Task<AgentStepKind> AgentAsync(ScriptedModelServer server, AgentStepBed bed, IAgentApprovals? approvals = null)
    {
        var options = new AgentRunnerOptions
        {
            Executables = new Dictionary<string, string> { ["codex"] = AgentClis.Codex },
            Environment = new Dictionary<string, string> { ["OPENAI_API_KEY"] = "test-key", ["CODEX_HOME"] = bed.StateDir("codex-home") },
        };
        return new AgentStepKind([new CodexCli(new Uri(server.BaseUrl + "/v1"))], options, approvals);
    }

    /// <summary>Approvals that fail the test if asked: <c>codex exec</c> cannot ask.</summary>
    private sealed class RefusingApprovals : IAgentApprovals
    {
        public Task<ApprovalDecision> DecideAsync(string executionId, AgentEvent request, CancellationToken ct) =>
            throw new InvalidOperationException("codex exec cannot ask for approval");
    }
}
