using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Agents.Domain;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>Playground runs read together with their executions, as Execution tells of them.</summary>
internal sealed class PlaygroundRuns(PlaygroundStore store, IStepExecutions executions)
{
    public async Task<PlaygroundRunState?> FindAsync(string id, CancellationToken ct) =>
        await store.FindAsync(id, ct) is { } run ? new PlaygroundRunState(run, await executions.FindAsync(run.ExecutionId, ct)) : null;

    /// <summary>The repo's runs, newest first.</summary>
    public async Task<IReadOnlyList<PlaygroundRunState>> ListAsync(string repoId, int limit, CancellationToken ct)
    {
        var runs = await store.ListAsync(repoId, limit, ct);
        var found = (await executions.FindAsync([.. runs.Select(r => r.ExecutionId)], ct)).ToDictionary(e => e.Id, StringComparer.Ordinal);
        return [.. runs.Select(r => new PlaygroundRunState(r, found.GetValueOrDefault(r.ExecutionId)))];
    }
}
