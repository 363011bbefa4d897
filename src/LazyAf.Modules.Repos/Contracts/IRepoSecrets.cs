namespace LazyAf.Modules.Repos.Contracts;

/// <summary>Secrets for the modules that hand them to steps (which mask them in everything a step sends back).</summary>
public interface IRepoSecrets
{
    /// <summary>
    /// The secrets a step of the repo names, name → value: each the repo's own, else the global one of that name.
    /// A name neither has is in <see cref="StepSecrets.Missing"/>.
    /// </summary>
    Task<StepSecrets> ForStepAsync(string repoId, IReadOnlyCollection<string> names, CancellationToken ct);

    /// <summary>Every value a step of the repo could be handed (its secrets and the global ones), for masking text after the fact.</summary>
    Task<IReadOnlyList<string>> AllValuesAsync(string repoId, CancellationToken ct);
}

/// <summary>The secrets found for a step, and the names it asked for that are not set.</summary>
/// <param name="Values">Name → value.</param>
/// <param name="Missing">Names set neither for the repo nor globally.</param>
public sealed record StepSecrets(IReadOnlyDictionary<string, string> Values, IReadOnlyList<string> Missing);
