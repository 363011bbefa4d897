namespace LazyAf.Modules.Repos.Contracts;

/// <summary>A repo's secrets, for the modules that hand them to steps (which mask them in every log).</summary>
public interface IRepoSecrets
{
    /// <summary>Every secret of the repo, name → value; empty when it has none or does not exist.</summary>
    Task<IReadOnlyDictionary<string, string>> ValuesAsync(string repoId, CancellationToken ct);
}
