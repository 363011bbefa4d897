using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using LazyAf.Testing;
using ModelContextProtocol;

namespace LazyAf.Mcp.Tests;

/// <summary>A card worked end to end through MCP only, over both transports, against a real host that runs its script step.</summary>
public sealed class CardFlowTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData(McpTransport.Http)]
    [InlineData(McpTransport.Stdio)]
    public async Task Create_start_wait_for_review_read_the_diff_and_approve(McpTransport transport)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, $"flow-{transport}".ToLowerInvariant());
        await using var client = await McpSessions.ConnectAsync(fixture.Host, transport);

        var created = JsonNode.Parse((await client.CallAsync("create_card", new()
        {
            ["repo"] = $"flow-{transport}".ToLowerInvariant(),
            ["title"] = "Say hello",
            ["step_type"] = "script",
            ["step_config"] = new Dictionary<string, object> { ["command"] = "echo 'hello from mcp' > hello.txt", ["commit"] = true },
        })).Ok())!;
        var card = created["id"]!.GetValue<string>();
        Assert.Equal("todo", created["status"]!.GetValue<string>());

        var started = (await client.CallAsync("start_card", new() { ["card_id"] = card })).Ok();
        Assert.Matches($"^card {card} is in_progress: attempt 1 runs as execution [0-9a-f]{{32}} on branch lazyaf/card-", started);
        Assert.Contains($"wait kind=card id={card}", started, StringComparison.Ordinal);

        var progress = new ConcurrentQueue<ProgressNotificationValue>();
        var waited = (await client.CallAsync("wait", new() { ["kind"] = "card", ["id"] = card, ["until"] = new[] { "in_review" }, ["timeout_seconds"] = 90 },
            new SynchronousProgress(progress.Enqueue))).Ok();
        Assert.StartsWith($"card {card} is in_review after ", waited, StringComparison.Ordinal);
        Assert.Contains(progress, p => p.Message?.StartsWith($"card {card}: ", StringComparison.Ordinal) == true);

        var diff = (await client.CallAsync("get_diff", new() { ["card_id"] = card })).Ok();
        Assert.Contains("=== added hello.txt +1 -0", diff, StringComparison.Ordinal);
        Assert.Contains("+hello from mcp", diff, StringComparison.Ordinal);

        var approved = JsonNode.Parse((await client.CallAsync("approve_card", new() { ["card_id"] = card })).Ok())!;
        Assert.Equal("done", approved["status"]!.GetValue<string>());
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("hello from mcp", await repo.GitAsync("show", "origin/main:hello.txt"));
        var history = await (await fixture.Host.Client.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(history.EnumerateArray(), e => e.Str("trigger") == "approve" && e.Str("actor") == "owner via mcp");
    }

    /// <summary>Reports on the thread that reports, so the test sees every notification before the call returns (Progress&lt;T&gt; posts them later).</summary>
    private sealed class SynchronousProgress(Action<ProgressNotificationValue> report) : IProgress<ProgressNotificationValue>
    {
        public void Report(ProgressNotificationValue value) => report(value);
    }
}
