using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Cards with script steps that really run and commit (<c>commit: true</c>): the runner commits and pushes the card's branch and the card goes to review.</summary>
internal sealed class ScriptCards(HttpClient api)
{
    public async Task<string> CreateAsync(string repoId, string command, string title = "Write the work")
    {
        var card = await (await api.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title, step_type = "script", step_config = new { command, commit = true } })).JsonAsync(HttpStatusCode.Created);
        return card.Str("id");
    }

    /// <summary>
    /// Creates a card, starts it and waits until its step has pushed its branch and it has reached review — by its
    /// history, since a pipeline it triggers may move it on before a poll sees it there.
    /// </summary>
    public async Task<(string CardId, string Branch)> InReviewAsync(string repoId, string command)
    {
        var card = await CreateAsync(repoId, command);
        await (await api.PostAsync($"/api/cards/{card}/start", null)).JsonAsync(HttpStatusCode.Accepted);
        JsonElement moves = default;
        await Eventually.HoldsAsync(
            () => (moves = api.GetAsync($"/api/cards/{card}/events").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult())
                .EnumerateArray().Any(m => m.Str("to_status") == "in_review"),
            () => moves.ToString(), TimeSpan.FromSeconds(60));
        return (card, (await GetAsync(card)).Str("branch_name"));
    }

    public async Task<JsonElement> GetAsync(string cardId) => await (await api.GetAsync($"/api/cards/{cardId}")).JsonAsync(HttpStatusCode.OK);

    public async Task<JsonElement> StatusAsync(string cardId, string status, TimeSpan? timeout = null)
    {
        JsonElement card = default;
        await Eventually.HoldsAsync(() => (card = GetAsync(cardId).GetAwaiter().GetResult()).Str("status") == status, () => card.ToString(), timeout ?? TimeSpan.FromSeconds(30));
        return card;
    }

    /// <summary>The card's last transition: (trigger, actor, reason).</summary>
    public async Task<(string Trigger, string Actor, string Reason)> LastMoveAsync(string cardId)
    {
        var events = await (await api.GetAsync($"/api/cards/{cardId}/events")).JsonAsync(HttpStatusCode.OK);
        var last = events[events.GetArrayLength() - 1];
        return (last.Str("trigger"), last.Str("actor"), last.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "");
    }
}
