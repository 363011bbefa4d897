using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>Cancels a card's runs (<see cref="ICardPipelineRuns"/>) the way a debug abort cancels one run.</summary>
internal sealed class CardPipelineRuns(RunStore runs, IPipelineDebugging debugging) : ICardPipelineRuns
{
    public async Task<IReadOnlyList<string>> CancelActiveAsync(string cardId, string reason, CancellationToken ct)
    {
        var cancelled = new List<string>();
        foreach (var run in await runs.ActiveOfCardAsync(cardId, ct))
        {
            // A run that ended meanwhile is not cancelled by this call; one that changed meanwhile is asked once more.
            var change = await debugging.AbortAsync(run.Id, reason, ct);
            if (change == PausedRunChange.ChangedMeanwhile)
                change = await debugging.AbortAsync(run.Id, reason, ct);
            if (change == PausedRunChange.Done)
                cancelled.Add(run.Id);
        }
        return cancelled;
    }
}
