using LazyAf.Kernel.Events;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Modules.Triggers.Features.RunActions;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Triggers.Handlers;

/// <summary>
/// A card that reaches review (or done) fires the <c>card_complete</c> triggers its branch defines, on the
/// branch's head. A card a person approves fires again on done; one a trigger approved does not.
/// </summary>
internal sealed class FireCardCompleteTriggers(
    TriggerMatches matches, FiringRecorder recorder, IRepoCatalog repos, ILogger<FireCardCompleteTriggers> logger)
    : IIntegrationEventHandler<CardUpdated>
{
    public async Task HandleAsync(CardUpdated @event, EventContext context, CancellationToken ct)
    {
        var card = @event.Card;
        if (@event.Transition is not { } move || move.From == move.To || move.To is not (CardStatus.InReview or CardStatus.Done))
            return;
        // A card a trigger approved was just built by that trigger's run; its branch may have moved since (a fix
        // step's commits), and building it again would only repeat the run that merged it.
        if (move.To == CardStatus.Done && move.Actor.StartsWith(TriggerActions.ActorPrefix, StringComparison.Ordinal))
            return;
        if (card.BranchName is not { } branch || await repos.BranchTipAsync(card.RepoId, branch, ct) is not { } sha)
        {
            logger.LogWarning("Card {CardId} reached {Status} without a branch to build; no card_complete trigger fires", card.Id, move.To);
            return;
        }
        // Branch globs are an optional filter here, matched against the card's own branch (always lazyaf/…).
        var fired = await matches.OnBranchAsync(card.RepoId, branch, TriggerKinds.CardComplete,
            t => t.Branches.Count == 0 || t.Branches.Any(p => BranchGlob.IsMatch(p, branch)), ct);
        foreach (var (pipeline, trigger) in fired)
        {
            await recorder.AcceptAsync(new FiringRequest(card.RepoId, pipeline, TriggerKinds.CardComplete, branch, sha,
                trigger.OnPass, trigger.OnFail, $"card:{card.Id}:{Kernel.EnumText.Of(move.To)}") { CardId = card.Id }, ct);
        }
    }
}
