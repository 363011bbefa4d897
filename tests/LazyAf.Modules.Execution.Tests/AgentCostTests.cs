using System.Net;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>Cost and budgets of agent steps: priced from the price table when the CLI reports only tokens, summed per card, stopped past a budget.</summary>
public sealed class AgentCostTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private ClaudeHost _claude = null!;

    public async Task InitializeAsync()
    {
        _claude = await ClaudeHost.StartAsync(new Dictionary<string, string>
        {
            ["Agents:Prices:in-house-1:Input"] = "2",
            ["Agents:Prices:in-house-1:Output"] = "10",
        });
    }

    public async Task DisposeAsync()
    {
        await _claude.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Tokens_without_a_cost_are_priced_from_the_table_and_a_cards_attempts_add_up()
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "priced");
        // An in-house agent that reports tokens only, as Gemini and Codex do: 1M in at $2, 0.5M out at $10 = $7 a run.
        const string agent = """
            cat > /dev/null; echo "thinking"; echo '{"kind":"result","is_error":false,"subtype":"success","usage":{"turns":2,"input_tokens":1000000,"output_tokens":500000}}'
            """;
        var card = await CreateCardAsync(repo.Id, new { agent = "command", command = agent, model = "in-house-1" });

        var first = await StartAsync(card, "start");
        Assert.Equal("in_review", (await SettledAsync(card)).Str("status"));
        await StartAsync(card, "retry");
        var settled = await SettledAsync(card);

        var execution = await (await _claude.Host.Client.GetAsync($"/api/executions/{first}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(7m, execution.GetProperty("usage").GetProperty("cost_usd").GetDecimal());
        Assert.Equal(1_000_000, execution.GetProperty("usage").GetProperty("input_tokens").GetInt64());
        Assert.Equal([7.0, 7.0], settled.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("cost_usd").GetDouble()));
        Assert.Equal(14.0, settled.GetProperty("cost_usd").GetDouble(), 6);
        var listed = await (await _claude.Host.Client.GetAsync($"/api/repos/{repo.Id}/cards")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(14.0, listed.EnumerateArray().Single(c => c.Str("id") == card).GetProperty("cost_usd").GetDouble(), 6);
        var events = await (await _claude.Host.Client.GetAsync($"/api/executions/{first}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["assistant_text", "result"], events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").Str("kind")));
    }

    [Fact]
    public async Task An_agent_whose_running_cost_crosses_the_cards_budget_is_stopped()
    {
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "budget");
        // $0.20 of output a turn against a $0.50 budget: the third turn crosses it; the agent would go on for a minute.
        const string agent = """
            for i in $(seq 60); do echo '{"kind":"usage","usage":{"input_tokens":0,"output_tokens":20000}}'; echo "turn $i" > "turn-$i.txt"; sleep 1; done
            """;
        var card = await CreateCardAsync(repo.Id, new { agent = "command", command = agent, model = "in-house-1", max_cost_usd = 0.5 });

        var started = DateTimeOffset.UtcNow;
        var execution = await StartAsync(card, "start");
        var settled = await SettledAsync(card);

        Assert.Equal("failed", settled.Str("status"));
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(30));
        var run = await (await _claude.Host.Client.GetAsync($"/api/executions/{execution}")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("crossed the step's budget $0.5", run.Str("error"), StringComparison.Ordinal);
        Assert.Equal(0.6m, run.GetProperty("usage").GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task Claude_is_told_the_cards_budget_and_ends_with_its_budget_error()
    {
        _claude.Model.Play([.. Enumerable.Range(0, 20).Select(i => ModelTurn.Call("Bash", new { command = $"echo {i} >> turns.txt", description = "count" }) with { Usage = (100_000, 20_000) })]);
        var repo = await SeededRepo.CreateAsync(_claude.Host, _work, "claude-budget");
        var card = await CreateCardAsync(repo.Id, new { agent = "claude-code", max_cost_usd = 1 });

        var execution = await StartAsync(card, "start");
        var settled = await SettledAsync(card);

        Assert.Equal("failed", settled.Str("status"));
        var run = await (await _claude.Host.Client.GetAsync($"/api/executions/{execution}")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("budget", run.Str("error"), StringComparison.OrdinalIgnoreCase);
        Assert.True(_claude.Model.TurnsLeft > 0, "the agent was stopped before it used every turn");
    }

    private async Task<string> CreateCardAsync(string repoId, object config)
    {
        var card = await (await _claude.Host.Client.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = "Costly work", step_type = "agent", step_config = config })).JsonAsync(HttpStatusCode.Created);
        return card.Str("id");
    }

    private async Task<string> StartAsync(string cardId, string action)
    {
        using var response = await _claude.Host.Client.PostAsync($"/api/cards/{cardId}/{action}", null);
        await response.JsonAsync(HttpStatusCode.Accepted);
        return response.Headers.Location!.ToString().Split('/')[^1];
    }

    private async Task<JsonElement> SettledAsync(string cardId)
    {
        JsonElement card = default;
        await Eventually.HoldsAsync(
            () => (card = _claude.Host.Client.GetAsync($"/api/cards/{cardId}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("status") != "in_progress",
            () => card.ToString(), TimeSpan.FromSeconds(90));
        return card;
    }
}
