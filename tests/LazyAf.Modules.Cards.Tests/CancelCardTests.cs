using System.Net;
using System.Text.Json;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Cards.Tests;

/// <summary><c>POST /api/cards/{id}/cancel</c> on a real host that really runs the card's step and pipeline.</summary>
public sealed class CancelCardTests : IDisposable
{
    private const string Unknown = "0123456789abcdef0123456789abcdef";
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();

    public void Dispose()
    {
        _work.Dispose();
        _data.Dispose();
    }

    [Fact]
    public async Task Cancel_kills_the_running_attempt_says_which_and_then_finds_nothing_to_cancel()
    {
        await using var host = LazyAfHost.Start(_data.Path);
        var repo = await SeededRepo.CreateAsync(host, _work, "cancel-card");
        var card = await new Board(host).CreateCardAsync(repo.Id, "Slow", new { step_config = new { command = "echo started; sleep 300" } });
        var started = await (await host.Client.PostAsync($"/api/cards/{card}/start", null)).JsonAsync(HttpStatusCode.Accepted);
        var execution = started.GetProperty("attempts")[0].Str("execution_id");
        await Eventually.HoldsAsync(async () => (await GetAsync(host, $"/api/executions/{execution}")).Str("state") == "running",
            async () => (await GetAsync(host, $"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));

        var cancelled = await (await host.Client.PostAsync($"/api/cards/{card}/cancel", null)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal((card, "in_progress"), (cancelled.Str("card_id"), cancelled.Str("status")));
        Assert.Equal((execution, 1), (cancelled.GetProperty("execution").Str("id"), cancelled.GetProperty("execution").GetProperty("attempt").GetInt32()));
        Assert.Contains(cancelled.GetProperty("execution").Str("outcome"), new[] { "stopping", "cancelled" });
        Assert.Empty(cancelled.GetProperty("pipeline_runs").EnumerateArray());
        await Eventually.HoldsAsync(async () => (await GetAsync(host, $"/api/executions/{execution}")).Str("state") == "cancelled",
            async () => (await GetAsync(host, $"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));
        await Eventually.HoldsAsync(async () => (await GetAsync(host, $"/api/cards/{card}")).Str("status") != "in_progress",
            async () => (await GetAsync(host, $"/api/cards/{card}")).ToString(), TimeSpan.FromSeconds(60));

        var again = await (await host.Client.PostAsync($"/api/cards/{card}/cancel", null)).JsonAsync(HttpStatusCode.Conflict);
        Assert.Equal("Nothing to cancel", again.Str("title"));
        Assert.Equal((await GetAsync(host, $"/api/cards/{card}")).Str("status"), again.Str("current_status"));
    }

    [Fact]
    public async Task Cancel_stops_the_pipeline_run_building_the_card_s_branch()
    {
        await using var host = LazyAfHost.Start(_data.Path);
        var repo = await SeededRepo.CreateAsync(host, _work, "cancel-card-run");
        var card = await new Board(host).CreateCardAsync(repo.Id, "Reviewed");
        await (await host.Client.PostJsonAsync($"/api/repos/{repo.Id}/pipelines",
            new { yaml = "name: slow\nsteps:\n  - id: wait\n    config: {command: \"sleep 300\"}\n" })).JsonAsync(HttpStatusCode.Created);
        var run = await host.Services.GetRequiredService<IPipelineRuns>().StartAsync(
            new PipelineRunRequest(repo.Id, "slow", "main", null, "card_complete", new Dictionary<string, string>()) { CardId = card }, default);
        await Eventually.HoldsAsync(async () => (await GetAsync(host, $"/api/pipeline-runs/{run.RunId}")).GetProperty("steps")[0].Str("state") == "running",
            async () => (await GetAsync(host, $"/api/pipeline-runs/{run.RunId}")).ToString(), TimeSpan.FromSeconds(60));

        var cancelled = await (await host.Client.PostAsync($"/api/cards/{card}/cancel", null)).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(JsonValueKind.Null, cancelled.GetProperty("execution").ValueKind);
        Assert.Equal([run.RunId], cancelled.GetProperty("pipeline_runs").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("cancelled", (await GetAsync(host, $"/api/pipeline-runs/{run.RunId}")).Str("state"));
        await (await host.Client.PostAsync($"/api/cards/{card}/cancel", null)).JsonAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancel_of_an_unknown_or_malformed_card_is_a_404_problem()
    {
        await using var host = LazyAfHost.Start(_data.Path);

        foreach (var id in new[] { Unknown, "not-an-id" })
        {
            var problem = await (await host.Client.PostAsync($"/api/cards/{id}/cancel", null)).JsonAsync(HttpStatusCode.NotFound);
            Assert.Contains(id, problem.Str("detail"), StringComparison.Ordinal);
        }
    }

    private static async Task<JsonElement> GetAsync(LazyAfHost host, string path) => await (await host.Client.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
}
