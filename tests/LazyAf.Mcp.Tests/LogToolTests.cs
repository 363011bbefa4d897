using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary>
/// Reading a step's output in parts a model's context can take: the last lines, stderr alone, pages after a seq
/// under a byte cap, a regex search with context, and every result held to Mcp:MaxResultChars with a note saying so.
/// </summary>
public sealed partial class LogToolTests(LogToolTests.ChattyStep step) : IClassFixture<LogToolTests.ChattyStep>
{
    private const int Cap = 3_000;

    [GeneratedRegex("after_seq=([0-9]+) skip_lines=([0-9]+)")]
    private static partial Regex NextPage();

    /// <summary>A host whose results are capped at 3,000 characters, with a card that printed 300 lines to stdout and two to stderr.</summary>
    public sealed class ChattyStep : IAsyncLifetime
    {
        private readonly TempDir _work = new();

        public LazyAfHost Host { get; private set; } = null!;

        public string Repo { get; private set; } = "";

        public string Execution { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Mcp:MaxResultChars"] = $"{Cap}" });
            Repo = (await SeededRepo.CreateAsync(Host, _work, "logs")).Id;
            await using var client = await McpSessions.ConnectAsync(Host, McpTransport.Http);
            var card = JsonNode.Parse((await client.CallAsync("create_card", new()
            {
                ["repo"] = Repo,
                ["title"] = "Talk a lot",
                ["step_type"] = "script",
                ["step_config"] = new Dictionary<string, object>
                {
                    ["command"] = "for i in $(seq 1 300); do echo \"line $i of the output\"; done; echo 'warning: disk low' >&2; echo 'error: it broke at step 7' >&2",
                },
            })).Ok())!["id"]!.GetValue<string>();
            var started = (await client.CallAsync("start_card", new() { ["card_id"] = card })).Ok();
            Execution = Regex.Match(started, "execution ([0-9a-f]{32})").Groups[1].Value;
            (await client.CallAsync("wait", new() { ["kind"] = "execution", ["id"] = Execution, ["timeout_seconds"] = 90 })).Ok();
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            _work.Dispose();
        }
    }

    [Fact]
    public async Task The_tail_of_stderr_is_its_last_lines_with_the_seq_to_go_on_from()
    {
        await using var client = await McpSessions.ConnectAsync(step.Host, McpTransport.Http);

        var tail = (await client.CallAsync("get_execution_logs", new() { ["execution_id"] = step.Execution, ["stderr_only"] = true, ["tail_lines"] = 1 })).Ok();

        var lines = tail.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($"^execution {step.Execution}: stderr: the last 1 of 2 lines, up to seq [0-9]+; newer output: after_seq=[0-9]+$", lines[0]);
        Assert.Equal(["error: it broke at step 7"], lines[1..]);
    }

    [Fact]
    public async Task Pages_after_a_seq_under_a_byte_cap_cover_the_whole_output_in_order()
    {
        await using var client = await McpSessions.ConnectAsync(step.Host, McpTransport.Http);
        var seen = new List<int>();
        long after = 0, skip = 0;

        for (var page = 0; page < 100; page++)
        {
            var text = (await client.CallAsync("get_execution_logs", new() { ["execution_id"] = step.Execution, ["after_seq"] = after, ["skip_lines"] = skip, ["max_bytes"] = 800 })).Ok();
            var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines[1..].Sum(l => l.Length + 1) <= 800, text);
            seen.AddRange(lines.Select(l => Regex.Match(l, "^line ([0-9]+) of the output$")).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
            if (lines[0].Contains("all of it", StringComparison.Ordinal))
                break;
            Assert.Contains("there is more: call again with after_seq=", lines[0], StringComparison.Ordinal);
            var next = NextPage().Match(lines[0]);
            (after, skip) = (long.Parse(next.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), long.Parse(next.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }

        // Each page goes on exactly where the last stopped, also inside a chunk that holds many pages.
        Assert.Equal(Enumerable.Range(1, 300), seen);
    }

    [Fact]
    public async Task A_search_shows_each_match_numbered_with_its_context_and_caps_the_matches()
    {
        await using var client = await McpSessions.ConnectAsync(step.Host, McpTransport.Http);

        var one = (await client.CallAsync("search_execution_logs", new() { ["execution_id"] = step.Execution, ["pattern"] = "^line 150 of", ["context_lines"] = 2 })).Ok();
        var many = (await client.CallAsync("search_execution_logs", new() { ["execution_id"] = step.Execution, ["pattern"] = "LINE [0-9]+ OF", ["ignore_case"] = true, ["max_matches"] = 3 })).Ok();

        var lines = one.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches($"^execution {step.Execution}: 1 matching line\\(s\\) of /\\^line 150 of/ in [0-9]+ line\\(s\\) of output$", lines[0]);
        Assert.Equal(5, lines.Length - 1);
        Assert.Matches("^[0-9]+- line 148 of the output$", lines[1]);
        Assert.Matches("^[0-9]+: line 150 of the output$", lines[3]);
        Assert.Matches("^[0-9]+- line 152 of the output$", lines[5]);
        Assert.Contains("300 matching line(s)", many, StringComparison.Ordinal);
        Assert.Contains("showing the first 3 (narrow the pattern or raise max_matches)", many, StringComparison.Ordinal);
        Assert.Equal(3, many.Split('\n').Count(l => Regex.IsMatch(l, "^[0-9]+: line [0-9]+ of the output$")));
    }

    [Fact]
    public async Task A_step_of_a_run_reads_the_same_way_through_the_runs_step_logs()
    {
        await using var client = await McpSessions.ConnectAsync(step.Host, McpTransport.Http);
        var pipeline = (await client.CallAsync("create_pipeline", new()
        {
            ["repo"] = "logs",
            ["yaml"] = "name: shout\nsteps:\n  - id: shout\n    config:\n      command: echo one; echo two; echo three >&2\n",
        })).Ok();
        Assert.Contains("\"name\":\"shout\"", pipeline, StringComparison.Ordinal);
        var run = Regex.Match((await client.CallAsync("run_pipeline", new() { ["repo"] = step.Repo, ["pipeline"] = "shout" })).Ok(), "pipeline run ([0-9a-f]{32})").Groups[1].Value;
        (await client.CallAsync("wait", new() { ["kind"] = "pipeline_run", ["id"] = run, ["timeout_seconds"] = 90 })).Ok();

        var logs = (await client.CallAsync("get_step_logs", new() { ["run_id"] = run, ["step"] = "shout", ["stderr_only"] = true })).Ok();
        var missing = (await client.CallAsync("get_step_logs", new() { ["run_id"] = run, ["step"] = "nope" })).Error();

        Assert.Equal($"step shout of run {run}: stderr: lines 1–1, all of it", logs.Split('\n')[0].Split(", up to seq")[0]);
        Assert.Equal("three", logs.Split('\n')[1]);
        Assert.Contains("404 Not Found", missing, StringComparison.Ordinal);
        Assert.Contains("Step attempt not found", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_result_longer_than_the_cap_is_cut_to_it_and_says_how()
    {
        await using var client = await McpSessions.ConnectAsync(step.Host, McpTransport.Http);
        var made = await (await step.Host.Client.PostJsonAsync($"/api/repos/{step.Repo}/cards",
            new { title = "Long", step_type = "script", step_config = new { command = "true" }, description = new string('d', 10_000) })).JsonAsync(HttpStatusCode.Created);

        var card = (await client.CallAsync("get_card", new() { ["card_id"] = made.Str("id") })).Ok();
        var logs = (await client.CallAsync("get_execution_logs", new() { ["execution_id"] = step.Execution })).Ok();

        Assert.Equal(Cap, card.Length);
        Assert.StartsWith($"{{\"id\":\"{made.Str("id")}\"", card, StringComparison.Ordinal);
        Assert.Contains("[LazyAF cut this result: it shows the first part of 10,", card, StringComparison.Ordinal);
        Assert.Contains("up to Mcp:MaxResultChars = 3,000 with this note; ask for less", card, StringComparison.Ordinal);
        Assert.True(logs.Length <= Cap, $"{logs.Length} characters");
        Assert.Contains("as many as fit in max_bytes = 2,000; there is more: call again with after_seq=", logs, StringComparison.Ordinal);
    }
}
