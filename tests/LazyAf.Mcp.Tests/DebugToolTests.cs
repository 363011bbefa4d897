using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary>An agent debugging through MCP on a real host: a debug re-run that pauses, its session, resume and abort.</summary>
public sealed partial class DebugToolTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Pipeline = """
        name: app
        steps:
          - id: build
            config: {command: "echo built"}
          - id: test
            needs: [build]
            config: {command: "echo testing"}
        """;

    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [GeneratedRegex("debug re-run ([0-9a-f]{32}) started")]
    private static partial Regex Started();

    [Fact]
    public async Task An_agent_starts_a_debug_rerun_reads_its_session_and_resumes_or_aborts_it()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "mcp-debug");
        await PipelineRuns.CommitPipelineAsync(repo, "app", Pipeline);
        var runs = new PipelineRuns(fixture.Host);
        var original = await runs.RunAsync(repo.Id, "app");
        await runs.SettledAsync(original);
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);

        var unknown = (await client.CallAsync("debug_rerun", new() { ["run_id"] = original, ["breakpoints"] = new[] { "nosuch" } })).Error();
        Assert.Contains("'nosuch'", unknown, StringComparison.Ordinal);
        var resumed = await PausedSessionAsync(client, original);
        var aborted = await PausedSessionAsync(client, original);

        var session = JsonNode.Parse((await client.CallAsync("get_debug_session", new() { ["session_id"] = resumed.Session })).Ok())!;
        Assert.Equal("test", session["step_id"]!.GetValue<string>());
        Assert.Equal("waiting", session["state"]!.GetValue<string>());
        (await client.CallAsync("debug_resume", new() { ["session_id"] = resumed.Session })).Ok();
        (await client.CallAsync("debug_abort", new() { ["session_id"] = aborted.Session })).Ok();

        Assert.Equal("passed", (await runs.SettledAsync(resumed.Run)).Str("state"));
        Assert.Equal("cancelled", (await runs.SettledAsync(aborted.Run)).Str("state"));
        var again = (await client.CallAsync("debug_resume", new() { ["session_id"] = resumed.Session })).Error();
        Assert.Contains("409", again, StringComparison.Ordinal);
        (await client.CallAsync("get_debug_session", new())).Error();
    }

    [Fact]
    public async Task An_agent_runs_the_failing_test_in_a_failed_steps_session_reads_its_output_and_marks_it_passed()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "mcp-exec");
        await repo.CommitAsync("check.sh", "echo checking answer.txt\ntest -f answer.txt || { echo 'FAIL: answer.txt is missing' >&2; exit 4; }\n", "the failing test");
        await PipelineRuns.CommitPipelineAsync(repo, "app", """
            name: app
            steps:
              - id: test
                config: {command: "echo left-by-test > leftover.txt; sh check.sh"}
              - id: deploy
                needs: [test]
                config: {command: "echo deployed"}
            """);
        var runs = new PipelineRuns(fixture.Host);
        var original = await runs.RunAsync(repo.Id, "app");
        Assert.Equal("failed", (await runs.SettledAsync(original)).Str("state"));
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);

        var started = (await client.CallAsync("debug_rerun", new() { ["run_id"] = original, ["pause_on_failure"] = true })).Ok();
        var run = Started().Match(started).Groups[1].Value;
        var sessions = await Eventually.ValueAsync(
            async () => JsonNode.Parse((await client.CallAsync("get_debug_session", new() { ["run_id"] = run })).Ok())!.AsArray(),
            s => s.Count == 1, TimeSpan.FromSeconds(60));
        var session = sessions[0]!["id"]!.GetValue<string>();

        var check = (await client.CallAsync("debug_exec", new() { ["session_id"] = session, ["command"] = "cat leftover.txt; sh check.sh" })).Ok();
        Assert.StartsWith("exit code 4\n", check, StringComparison.Ordinal);
        Assert.Contains("left-by-test\nchecking answer.txt\nFAIL: answer.txt is missing", check, StringComparison.Ordinal);
        var slow = (await client.CallAsync("debug_exec", new() { ["session_id"] = session, ["command"] = "sleep 30", ["timeout_seconds"] = 1 })).Ok();
        Assert.StartsWith("timed out", slow, StringComparison.Ordinal);
        Assert.Contains("400", (await client.CallAsync("debug_exec", new() { ["session_id"] = session, ["command"] = "" })).Error(), StringComparison.Ordinal);

        (await client.CallAsync("debug_mark", new() { ["session_id"] = session, ["outcome"] = "passed" })).Ok();
        Assert.Equal("passed", (await runs.SettledAsync(run)).Str("state"));
        Assert.Contains("409", (await client.CallAsync("debug_exec", new() { ["session_id"] = session, ["command"] = "true" })).Error(), StringComparison.Ordinal);
    }

    /// <summary>Starts a debug re-run pausing before <c>test</c> and waits, through get_debug_session, for its session.</summary>
    private static async Task<(string Run, string Session)> PausedSessionAsync(ModelContextProtocol.Client.McpClient client, string original)
    {
        var started = (await client.CallAsync("debug_rerun", new() { ["run_id"] = original, ["breakpoints"] = new[] { "test" } })).Ok();
        var run = Started().Match(started).Groups[1].Value;
        var sessions = await Eventually.ValueAsync(
            async () => JsonNode.Parse((await client.CallAsync("get_debug_session", new() { ["run_id"] = run })).Ok())!.AsArray(),
            s => s.Count == 1, TimeSpan.FromSeconds(60));
        return (run, sessions[0]!["id"]!.GetValue<string>());
    }
}
