using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Execution.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Cards.Handlers;

/// <summary>
/// When a card's execution ends, the card follows: its attempt is closed, and if it was the card's
/// latest attempt the card goes to review (succeeded) or to failed with the reason (failed step,
/// failing tests, cancelled, timed out, host restarted). Redelivery changes nothing.
/// </summary>
internal sealed class CardFollowsExecution(
    IDatabase database, CardWorkflow workflow, CardHistoryStore history, TimeProvider clock, ILogger<CardFollowsExecution> logger)
    : IIntegrationEventHandler<ExecutionUpdated>
{
    public async Task HandleAsync(ExecutionUpdated @event, EventContext context, CancellationToken ct)
    {
        var execution = @event.Execution;
        if (execution.Kind != "card" || execution.SubjectId is not { } cardId || !execution.State.IsFinal())
            return;

        using var _ = await CardWorkflow.LockAsync(cardId, ct);
        if (await workflow.LoadAsync(cardId, ct) is not { } card)
            return;
        var latest = await history.LatestExecutionAsync(cardId, ct) == execution.Id;
        var succeeded = execution.State == ExecutionState.Succeeded;
        var trigger = succeeded ? CardTrigger.SubmitForReview : CardTrigger.Fail;
        var outcome = EnumText.Of(execution.State);
        var tests = execution.Tests is null ? null : JsonSerializer.Serialize(execution.Tests, LazyAfJson.Options);

        if (!latest || card.Status != Contracts.CardStatus.InProgress)
        {
            await using var tx = await database.BeginWriteAsync(ct);
            await CardHistoryStore.FinishAttemptAsync(tx, cardId, execution.Id, outcome, tests, execution.CommitSha, execution.Usage, clock.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
            logger.LogInformation("Execution {ExecutionId} of card {CardId} ended {State}; the card has moved on", execution.Id, cardId, execution.State);
            return;
        }
        var moved = await workflow.MoveAsync(card, trigger, $"execution:{execution.Id}", Reason(execution), ct,
            edit: row => row with { BranchName = execution.Branch },
            alongside: (tx, _) => CardHistoryStore.FinishAttemptAsync(tx, cardId, execution.Id, outcome, tests, execution.CommitSha, execution.Usage, clock.GetUtcNow(), ct));
        logger.LogInformation("Card {CardId} followed execution {ExecutionId}: {Outcome}", cardId, execution.Id, moved.Outcome);
    }

    private static string Reason(ExecutionSnapshot execution) => execution switch
    {
        { State: ExecutionState.Succeeded, Tests: { } t } => $"step succeeded; {t.Passed} of {t.Total} tests passed",
        { State: ExecutionState.Succeeded } => "step succeeded",
        { Tests.Failed: > 0 } => $"{execution.Tests.Failed} of {execution.Tests.Total} tests failed: {string.Join(", ", execution.Tests.FailedTests.Take(5))}",
        { State: ExecutionState.TimedOut } => "step timed out",
        { State: ExecutionState.Cancelled } => "step cancelled",
        _ => execution.Error ?? "step failed",
    };
}
