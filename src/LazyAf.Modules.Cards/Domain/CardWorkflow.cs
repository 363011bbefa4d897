using System.Collections.Concurrent;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>
/// Loads cards with what their guards need and saves their changes: the row (only over the
/// version that was read), the move in the history, and a <c>card.updated</c> event, all in one
/// transaction.
/// </summary>
internal sealed class CardWorkflow(IDatabase database, CardStore cards, DependencyStore dependencies, IEventOutbox outbox, TimeProvider clock)
{
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new();

    public enum Outcome { Moved, NotAllowed, Stale }

    public sealed record MoveResult(Outcome Outcome, Card Card, ICollection<string> UnmetGuards);

    public async Task<Card?> LoadAsync(string id, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await cards.FindAsync(id, ct) is not { } row)
            return null;
        var open = (await dependencies.BlockersAsync(id, ct))
            .Where(b => b.Status != EnumText.Of(CardStatus.Done))
            .Select(b => b.Id)
            .ToList();
        return new Card(row, open);
    }

    /// <summary>
    /// Serialises work on one card inside this host (e.g. two approvals: one merges, the other then
    /// finds the card done). The version check on save guards against everything else.
    /// </summary>
    public static async Task<IDisposable> LockAsync(string cardId, CancellationToken ct)
    {
        var gate = Gates.GetOrAdd(cardId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        return new Release(gate);
    }

    /// <summary>
    /// Fires <paramref name="trigger"/> and saves the move. <paramref name="edit"/> changes other fields
    /// with it (e.g. the branch); <paramref name="alongside"/> writes what must commit with the move
    /// (an attempt row, a request for an execution).
    /// </summary>
    public async Task<MoveResult> MoveAsync(
        Card card, CardTrigger trigger, string actor, string? reason, CancellationToken ct,
        Func<CardRow, CardRow>? edit = null, Func<WriteTransaction, CardRow, Task>? alongside = null)
    {
        if (!card.CanFire(trigger, out var unmet))
            return new MoveResult(Outcome.NotAllowed, card, unmet);

        var read = card.Row;
        var from = card.Status;
        await card.FireAsync(trigger);
        var saved = (edit?.Invoke(card.Row) ?? card.Row) with { UpdatedAt = clock.GetUtcNow() };
        var transition = new CardTransition(from, card.Status, EnumText.Of(trigger), actor, reason);

        await using var tx = await database.BeginWriteAsync(ct);
        if (!await CardStore.TryUpdateAsync(tx, saved, ct))
            return new MoveResult(Outcome.Stale, new Card(read, card.OpenBlockers), []);
        await CardHistoryStore.RecordTransitionAsync(tx, saved.Id, EnumText.Of(from), saved.Status, transition.Trigger, actor, reason, saved.UpdatedAt, ct);
        await outbox.EnqueueAsync(tx, new CardUpdated(CardSnapshots.Of(saved), transition), ct);
        if (alongside is not null)
            await alongside(tx, saved);
        await tx.CommitAsync(ct);
        return new MoveResult(Outcome.Moved, new Card(saved with { Version = saved.Version + 1 }, card.OpenBlockers), []);
    }

    /// <summary>Saves edited fields (never the status); null when the card changed since it was read.</summary>
    public async Task<CardRow?> SaveAsync(CardRow edited, CancellationToken ct)
    {
        var saved = edited with { UpdatedAt = clock.GetUtcNow() };
        await using var tx = await database.BeginWriteAsync(ct);
        if (!await CardStore.TryUpdateAsync(tx, saved, ct))
            return null;
        await outbox.EnqueueAsync(tx, new CardUpdated(CardSnapshots.Of(saved), null), ct);
        await tx.CommitAsync(ct);
        return saved with { Version = saved.Version + 1 };
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
