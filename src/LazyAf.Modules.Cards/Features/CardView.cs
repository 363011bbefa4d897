using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;

namespace LazyAf.Modules.Cards.Features;

/// <summary>Builds the full view of a card, for every endpoint that answers with one.</summary>
internal sealed class CardView(CardWorkflow workflow, DependencyStore dependencies, CardHistoryStore history)
{
    public async Task<CardResponse?> FindAsync(string id, CancellationToken ct) =>
        await workflow.LoadAsync(id, ct) is { } card ? await OfAsync(card, ct) : null;

    public async Task<CardResponse> OfAsync(Card card, CancellationToken ct) =>
        CardResponse.From(card, await dependencies.BlockersAsync(card.Row.Id, ct), await history.AttemptsAsync(card.Row.Id, ct));
}
