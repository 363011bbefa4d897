using System.Net;
using System.Text.Json;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Cards.Tests;

/// <summary>Cards on a real host: made through the API, moved through work the way the executor will move them.</summary>
internal sealed class Board(LazyAfHost host)
{
    public HttpClient Api => host.Client;

    public async Task<string> CreateCardAsync(string repoId, string title = "Add a --json flag", object? extra = null)
    {
        var body = new Dictionary<string, object?>
        {
            ["title"] = title,
            ["step_type"] = "script",
            ["step_config"] = new { command = "make test" },
        };
        if (extra is not null)
        {
            foreach (var property in JsonSerializer.SerializeToElement(extra, LazyAfHost.Json).EnumerateObject())
                body[property.Name] = property.Value;
        }
        var card = await (await Api.PostJsonAsync($"/api/repos/{repoId}/cards", body)).JsonAsync(HttpStatusCode.Created);
        return card.Str("id");
    }

    public async Task<JsonElement> GetAsync(string cardId) =>
        await (await Api.GetAsync($"/api/cards/{cardId}")).JsonAsync(HttpStatusCode.OK);

    /// <summary>What the executor does with a card: start it, put its work on <paramref name="branch"/>, submit it for review.</summary>
    public async Task ToReviewAsync(string cardId, string? branch)
    {
        var workflow = host.Services.GetRequiredService<CardWorkflow>();
        var card = await StartAsync(cardId);
        var saved = await workflow.SaveAsync(card.Row with { BranchName = branch }, default);
        card = new Card(saved!, card.OpenBlockers);
        var result = await workflow.MoveAsync(card, CardTrigger.SubmitForReview, "test-executor", "step succeeded", default);
        Assert.Equal(CardWorkflow.Outcome.Moved, result.Outcome);
    }

    public async Task<Card> StartAsync(string cardId)
    {
        var workflow = host.Services.GetRequiredService<CardWorkflow>();
        var result = await workflow.MoveAsync((await workflow.LoadAsync(cardId, default))!, CardTrigger.Start, "test-executor", null, default);
        Assert.Equal(CardWorkflow.Outcome.Moved, result.Outcome);
        return result.Card;
    }

    public async Task FailAsync(string cardId)
    {
        var workflow = host.Services.GetRequiredService<CardWorkflow>();
        var card = await StartAsync(cardId);
        Assert.Equal(CardWorkflow.Outcome.Moved, (await workflow.MoveAsync(card, CardTrigger.Fail, "test-executor", "exit code 1", default)).Outcome);
    }
}
