namespace LazyAf.Modules.Pipelines.Contracts;

/// <summary>The pipeline runs that build a card's branch, for Cards: cancelling a card stops them too.</summary>
public interface ICardPipelineRuns
{
    /// <summary>
    /// Cancels the runs of <paramref name="cardId"/> that have not ended (and their running steps) with
    /// <paramref name="reason"/>; answers the ids of the runs it cancelled, none when nothing ran.
    /// </summary>
    Task<IReadOnlyList<string>> CancelActiveAsync(string cardId, string reason, CancellationToken ct);
}
