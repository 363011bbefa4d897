using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// After a step: its <c>artifacts</c> handed to the artifact store from the workspace this host holds (or, for a remote
/// runner's step, the directory its artifacts were received into); a problem with them fails the step.
/// </summary>
internal sealed class StepOutputs(IEnumerable<IStepArtifacts> stores)
{
    private readonly IStepArtifacts? _store = stores.FirstOrDefault();

    /// <summary>The largest one artifact may be; 0 when no store keeps artifacts.</summary>
    public long MaxArtifactBytes => _store?.MaxArtifactBytes ?? 0;

    /// <summary>Whether the step of <paramref name="request"/> that ended with <paramref name="result"/> has artifacts to keep.</summary>
    public bool Wanted(ExecutionRequested request, StepResult result) =>
        request.Step.Artifacts.Count > 0 && _store is not null && result.Outcome != StepOutcome.Cancelled;

    public async Task<StepResult> KeepAsync(string executionId, ExecutionRequested request, string workspace, StepResult result, CancellationToken ct) =>
        Refuse(result, await ProblemAsync(executionId, request, workspace, result, ct));

    /// <summary>Keeps the artifacts; returns why they could not be kept, or null (also when none were wanted).</summary>
    public async Task<string?> ProblemAsync(string executionId, ExecutionRequested request, string workspace, StepResult result, CancellationToken ct)
    {
        // A cancelled step's files are what was left when it was killed; nobody asked for them.
        if (!Wanted(request, result))
            return null;
        return await _store!.KeepAsync(new StepArtifactSource(executionId, request.RepoId, workspace, request.Step.Artifacts), ct);
    }

    /// <summary>The result failed for <paramref name="problem"/> with its artifacts, if there is one.</summary>
    public static StepResult Refuse(StepResult result, string? problem) => problem is null ? result : result with
    {
        Outcome = result.Outcome == StepOutcome.Succeeded ? StepOutcome.Failed : result.Outcome,
        Error = result.Error is null ? problem : $"{result.Error}; {problem}",
    };
}
