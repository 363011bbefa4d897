using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Deleting a repo through the whole host: its running work stops and every module forgets it.</summary>
public sealed class RepoDeletionTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_deleted_repo_takes_its_cards_runs_executions_playground_runs_and_webhooks_with_it_and_its_running_step_stops()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "doomed");
        await repo.CommitAsync(".lazyaf/pipelines/check.yml", PipelineRuns.ScriptPipeline("check", "push: {branches: [main]}", "true"), "check pipeline");
        await repo.PushAsync("main");
        var run = Assert.Single(await PipelineRuns.FinishedAsync(Api, repo.Id, 1)).Str("id");
        var (token, _) = await new Webhooks(Api).AddAsync(repo.Id, "check");
        var playground = (await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/playground/runs", new { agent = "command", task = "anything" })).JsonAsync(HttpStatusCode.Accepted)).Str("id");
        var cards = new ScriptCards(Api);
        var card = await cards.CreateAsync(repo.Id, "echo started; sleep 120");
        await (await Api.PostAsync($"/api/cards/{card}/start", null)).JsonAsync(HttpStatusCode.Accepted);
        var execution = (await cards.GetAsync(card)).GetProperty("attempts")[0].Str("execution_id");
        await Eventually.HoldsAsync(async () => (await ExecutionAsync(execution)).Contains("\"state\":\"running\"", StringComparison.Ordinal),
            () => ExecutionAsync(execution), TimeSpan.FromSeconds(30));
        var neighbour = await SeededRepo.CreateAsync(fixture.Host, _work, "neighbour");
        var neighbourCard = await cards.CreateAsync(neighbour.Id, "true");

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/repos/{repo.Id}")).StatusCode);

        // The execution's record goes only once its step has been killed: a 120 s sleep gone within the wait means it was.
        await Eventually.HoldsAsync(async () => (await Api.GetAsync($"/api/executions/{execution}")).StatusCode == HttpStatusCode.NotFound,
            () => ExecutionAsync(execution), TimeSpan.FromSeconds(30));
        foreach (var gone in new[] { $"/api/cards/{card}", $"/api/pipeline-runs/{run}", $"/api/playground/runs/{playground}" })
            await Eventually.HoldsAsync(async () => (await Api.GetAsync(gone)).StatusCode == HttpStatusCode.NotFound, () => Task.FromResult(gone));
        await Eventually.HoldsAsync(async () => (await new Webhooks(Api).SendAsync(token, "{}")).StatusCode == HttpStatusCode.NotFound,
            () => Task.FromResult("the webhook still answers"));
        Assert.Empty(await PipelineRuns.OfAsync(Api, repo.Id));
        Assert.Equal("todo", (await cards.GetAsync(neighbourCard)).Str("status"));
    }

    private async Task<string> ExecutionAsync(string id) => await (await Api.GetAsync($"/api/executions/{id}")).Content.ReadAsStringAsync();
}
