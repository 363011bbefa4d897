using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.DeleteCard;

internal static class DeleteCardEndpoint
{
    public static void MapDeleteCard(this IEndpointRouteBuilder api) =>
        api.MapDelete("/cards/{id}", HandleAsync)
            .WithName("DeleteCard")
            .WithSummary("Delete a card that is not being worked on (its branch stays)");

    private static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, CardWorkflow workflow, IDatabase database, IEventOutbox outbox, CancellationToken ct)
    {
        using var _ = await CardWorkflow.LockAsync(id, ct);
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        if (card.Status == CardStatus.InProgress)
            return Problems.Conflict("Card is running", "A card that is in_progress cannot be deleted while its step runs.",
                new Dictionary<string, object?> { ["current_status"] = EnumText.Of(card.Status) });

        return await DeleteAsync(database, outbox, id, card.Row.RepoId, ct) ? TypedResults.NoContent() : Problems.NotFound("card", id);
    }

    /// <summary>Deletes the card (with its history, attempts and dependencies) and says so on <c>card.deleted</c>; false when it was gone.</summary>
    public static async Task<bool> DeleteAsync(IDatabase database, IEventOutbox outbox, string id, string repoId, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        if (!await CardStore.DeleteAsync(tx, id, ct))
            return false;
        await outbox.EnqueueAsync(tx, new CardDeleted(id, repoId), ct);
        await tx.CommitAsync(ct);
        return true;
    }
}
