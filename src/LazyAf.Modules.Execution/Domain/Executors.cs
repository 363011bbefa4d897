
namespace LazyAf.Modules.Execution.Domain;

/// <summary>The executors of this host, and which of them takes a step.</summary>
internal sealed class Executors(IEnumerable<IExecutor> executors)
{
    private readonly IReadOnlyList<IExecutor> _all = [.. executors];

    public IReadOnlyList<IExecutor> All => _all;

    /// <summary>The executor an execution's runner column names; null when this host has none of that name.</summary>
    public IExecutor? Find(string? name) => _all.FirstOrDefault(e => e.Name == name);

    /// <summary>Whether any executor could take a step now.</summary>
    public bool AnyFree => _all.Any(e => e.FreeSlots > 0);

    /// <summary>
    /// The executor to run a step that <paramref name="requires"/> these labels: of those with a free slot and every
    /// label, the one with the most free slots (the first registered on a tie); null when none can take it now.
    /// </summary>
    public IExecutor? Choose(IReadOnlyCollection<string> requires) =>
        _all.Where(e => e.FreeSlots > 0 && requires.All(e.Labels.Contains))
            .OrderByDescending(e => e.FreeSlots)
            .FirstOrDefault();
}
