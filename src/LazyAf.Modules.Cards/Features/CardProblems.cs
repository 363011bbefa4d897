using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;

namespace LazyAf.Modules.Cards.Features;

/// <summary>The 409s of the card state machine: the current status, what is allowed, and why not this.</summary>
internal static class CardProblems
{
    public static ConflictProblem NotAllowed(Card card, CardTrigger trigger, ICollection<string> unmetGuards)
    {
        var action = EnumText.Of(trigger);
        var allowed = card.AllowedMoves().Select(m => new AllowedMove(EnumText.Of(m.Trigger), m.To)).ToList();
        var why = unmetGuards.Count > 0
            ? $"Cannot {action} this card until {string.Join(" and ", unmetGuards)}"
            : $"Cannot {action} a card that is {EnumText.Of(card.Status)}";
        if (unmetGuards.Contains(Card.BlockersDoneGuard))
            why += $": it is blocked by {string.Join(", ", card.OpenBlockers)}";
        return Problems.Conflict("Transition not allowed", why + ".", new Dictionary<string, object?>
        {
            ["current_status"] = EnumText.Of(card.Status),
            ["allowed"] = allowed,
            ["unmet_guards"] = unmetGuards,
            ["blocked_by"] = card.OpenBlockers,
        });
    }

    /// <summary>The answer for a move that did not happen.</summary>
    public static ConflictProblem Of(CardWorkflow.MoveResult result, CardTrigger trigger) =>
        result.Outcome == CardWorkflow.Outcome.Stale ? Stale(result.Card.Row.Id) : NotAllowed(result.Card, trigger, result.UnmetGuards);

    public static ConflictProblem StatusNotSettable(Card card, Contracts.CardStatus wanted) =>
        Problems.Conflict("Transition not allowed",
            $"A card that is {EnumText.Of(card.Status)} cannot be set to {EnumText.Of(wanted)} here; use the allowed transitions' endpoints.",
            new Dictionary<string, object?>
            {
                ["current_status"] = EnumText.Of(card.Status),
                ["allowed"] = card.AllowedMoves().Select(m => new AllowedMove(EnumText.Of(m.Trigger), m.To)).ToList(),
            });

    public static ConflictProblem Stale(string cardId) =>
        Problems.Conflict("Card changed", $"Card '{cardId}' was changed by someone else meanwhile; reload it and try again.");
}
