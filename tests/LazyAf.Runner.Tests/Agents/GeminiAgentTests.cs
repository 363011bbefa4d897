using System.Diagnostics;
using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.Gemini;
using LazyAf.Testing.Models;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>The real gemini CLI run as an agent step against the scripted model server (Gemini API).</summary>
public sealed class GeminiAgentTests
{
    private const string Model = "gemini-2.5-flash";

    [Fact]
    public async Task Gemini_writes_a_file_and_runs_a_command_and_its_events_come_out_typed()
    {
        await using var server = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("write_file", new { file_path = "hello.txt", content = "Hello from Gemini\n" }),
            ModelTurn.Call("run_shell_command", new { command = "wc -c < hello.txt > size.txt && cat hello.txt" }),
            ModelTurn.Say("I wrote hello.txt."));
        using var bed = new AgentStepBed();

        var exitCode = await bed.RunAsync(await AgentAsync(server, bed.StateDir("gemini-home")), AgentStepBed.Spec(Step()));

        Assert.Equal(0, exitCode);
        Assert.Equal("Hello from Gemini\n", await File.ReadAllTextAsync(Path.Combine(bed.Workspace, "hello.txt")));
        Assert.Equal("18", (await File.ReadAllTextAsync(Path.Combine(bed.Workspace, "size.txt"))).Trim());
        // Each turn's tokens, read from the session's record while the CLI ran, before its result.
        var all = bed.Events.ToList();
        var turns = all.Where(e => e.Kind == AgentEventKind.Usage).ToList();
        Assert.NotEmpty(turns);
        Assert.All(turns, t => Assert.Equal((120L, 30L), (t.Usage!.InputTokens, t.Usage.OutputTokens)));
        Assert.True(all.FindIndex(e => e.Kind == AgentEventKind.Usage) < all.FindIndex(e => e.Kind == AgentEventKind.Result));
        var events = all.Where(e => e.Kind != AgentEventKind.Usage).ToList();
        Assert.Equal(
            [AgentEventKind.SessionStarted, AgentEventKind.ToolCall, AgentEventKind.ToolResult, AgentEventKind.ToolCall,
             AgentEventKind.ToolResult, AgentEventKind.AssistantText, AgentEventKind.Result],
            events.Select(e => e.Kind));
        Assert.Equal(Model, events[0].Model);
        Assert.Equal(("write_file", "hello.txt"), (events[1].ToolName, events[1].Summary));
        Assert.Equal(("run_shell_command", false), (events[3].ToolName, events[4].IsError));
        Assert.Equal("Hello from Gemini", events[4].Summary);
        var result = events[^1];
        Assert.Equal((false, events[0].SessionId), (result.IsError, result.SessionId));
        Assert.Equal((3, 360L, 90L, (decimal?)null), (result.Usage!.Turns, result.Usage.InputTokens, result.Usage.OutputTokens, result.Usage.CostUsd));
        Assert.Equal(0, server.TurnsLeft);
        Assert.Contains("Write hello.txt with a friendly greeting.", server.Requests[0].ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("functionResponse", server.Requests[1].ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_prompt_of_one_megabyte_reaches_the_model()
    {
        await using var server = await ScriptedModelServer.StartAsync(ModelTurn.Say("Read it all."));
        using var bed = new AgentStepBed();
        var description = new string('x', 1024 * 1024) + " END-OF-PROMPT";

        await bed.RunAsync(await AgentAsync(server, bed.StateDir("gemini-home")), AgentStepBed.Spec(Step(), description));

        var sent = server.Requests[0].ToJsonString();
        Assert.True(sent.Length > 1024 * 1024);
        Assert.Contains("x END-OF-PROMPT", sent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_model_the_cli_asks_its_router_and_runs()
    {
        await using var server = await ScriptedModelServer.StartAsync(ModelTurn.Say("Routed."));
        using var bed = new AgentStepBed();
        var clock = Stopwatch.StartNew();

        var exitCode = await bed.RunAsync(await AgentAsync(server, bed.StateDir("gemini-home")), AgentStepBed.Spec(new AgentStepDefinition("gemini")));

        Assert.Equal(0, exitCode);
        Assert.Equal("Routed.", bed.Events.Single(e => e.Kind == AgentEventKind.AssistantText).Text);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_follow_up_in_a_new_workspace_continues_the_conversation()
    {
        await using var server = await ScriptedModelServer.StartAsync(ModelTurn.Say("First answer."), ModelTurn.Say("Second answer."));
        using var first = new AgentStepBed();
        using var second = new AgentStepBed();
        var home = first.StateDir("gemini-home");
        await first.RunAsync(await AgentAsync(server, home), AgentStepBed.Spec(Step()));
        var session = first.Events[0].SessionId!;

        var followUp = Step() with { ResumeSession = session, FollowUp = "Now make it shorter." };
        Assert.Equal(0, await second.RunAsync(await AgentAsync(server, home), AgentStepBed.Spec(followUp)));

        var resumed = server.Requests[1].ToJsonString();
        Assert.Contains("Write hello.txt with a friendly greeting.", resumed, StringComparison.Ordinal);
        Assert.Contains("First answer.", resumed, StringComparison.Ordinal);
        Assert.Contains("Now make it shorter.", resumed, StringComparison.Ordinal);
        Assert.Equal("Second answer.", second.Events.Single(e => e.Kind == AgentEventKind.AssistantText).Text);
        Assert.NotNull(second.Events.Last(e => e.Kind == AgentEventKind.Result).SessionId);
    }

    [Fact]
    public async Task A_follow_up_of_a_session_that_is_not_there_fails_with_the_clis_message()
    {
        await using var server = await ScriptedModelServer.StartAsync(ModelTurn.Say("Never asked."));
        using var bed = new AgentStepBed();
        var followUp = Step() with { ResumeSession = "0badc0de-0000-4000-8000-000000000000", FollowUp = "Go on." };

        var (failure, _) = await bed.FailsAsync(await AgentAsync(server, bed.StateDir("gemini-home")), AgentStepBed.Spec(followUp));

        Assert.Equal("gemini exited 42 without a result: Error resuming session: No previous sessions found for this project.", failure.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task With_an_approval_gate_nothing_that_changes_the_workspace_runs()
    {
        await using var server = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("write_file", new { file_path = "hello.txt", content = "Hello\n" }),
            ModelTurn.Call("run_shell_command", new { command = "touch ran.txt" }),
            ModelTurn.Say("Done."));
        using var bed = new AgentStepBed();
        var step = Step() with { ApprovalGate = true };

        await bed.RunAsync(await AgentAsync(server, bed.StateDir("gemini-home"), new RefusingApprovals()), AgentStepBed.Spec(step));

        Assert.False(File.Exists(Path.Combine(bed.Workspace, "hello.txt")));
        Assert.False(File.Exists(Path.Combine(bed.Workspace, "ran.txt")));
        Assert.All(bed.Events.Where(e => e.Kind == AgentEventKind.ToolResult), r => Assert.True(r.IsError));
    }

    [Fact]
    public async Task An_endpoint_answering_401_fails_the_step_with_the_clis_error_at_once()
    {
        await using var server = await ScriptedModelServer.StartFailingAsync(401, "application/json", """{"error":{"code":401,"message":"API key not valid.","status":"UNAUTHENTICATED"}}""");
        using var bed = new AgentStepBed();

        var (failure, took) = await bed.FailsAsync(await AgentAsync(server, bed.StateDir("gemini-home")), AgentStepBed.Spec(Step()));

        Assert.StartsWith("gemini failed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("API key not valid.", failure.Message, StringComparison.Ordinal);
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task An_endpoint_answering_garbage_fails_the_step_after_bounded_retries()
    {
        await using var server = await ScriptedModelServer.StartFailingAsync(200, "text/event-stream", "this is not an event stream {{{\n\n");
        using var bed = new AgentStepBed();

        var (failure, took) = await bed.FailsAsync(await AgentAsync(server, bed.StateDir("gemini-home")), AgentStepBed.Spec(Step()));

        Assert.Contains("Incomplete JSON segment", failure.Message, StringComparison.Ordinal);
        Assert.InRange(took, TimeSpan.Zero, TimeSpan.FromSeconds(45));
    }

    private static AgentStepDefinition Step() => new("gemini") { Model = Model };

    private static async Task<AgentStepKind> AgentAsync(ScriptedModelServer server, string home, IAgentApprovals? approvals = null)
    {
        var options = new AgentRunnerOptions
        {
            Executables = new Dictionary<string, string> { ["gemini"] = AgentClis.Gemini },
            Environment = new Dictionary<string, string> { ["GEMINI_API_KEY"] = "test-key", ["GOOGLE_GEMINI_BASE_URL"] = server.BaseUrl },
        };
        return new AgentStepKind([new GeminiCli(home)], options, approvals);
    }

    /// <summary>Approvals that fail the test if asked: the Gemini CLI cannot ask.</summary>
    private sealed class RefusingApprovals : IAgentApprovals
    {
        public Task<ApprovalDecision> DecideAsync(string executionId, AgentEvent request, CancellationToken ct) =>
            throw new InvalidOperationException("the Gemini CLI cannot ask for approval");
    }
}
