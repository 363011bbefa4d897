using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>After a step in a workspace this host holds: its <c>artifacts</c> handed to the artifact store; a problem with them fails the step.</summary>
internal sealed class StepOutputs(IEnumerable<IStepArtifacts> stores)
{
    private readonly IStepArtifacts? _store = stores.FirstOrDefault();

    public async Task<StepResult> KeepAsync(string executionId, ExecutionRequested request, string workspace, StepResult result, CancellationToken ct)
    {
        // A cancelled step's files are what was left when it was killed; nobody asked for them.
        if (request.Step.Artifacts.Count == 0 || _store is null || result.Outcome == StepOutcome.Cancelled)
            return result;
        if (await _store.KeepAsync(new StepArtifactSource(executionId, request.RepoId, workspace, request.Step.Artifacts), ct) is not { } problem)
            return result;
        return result with
        {
            Outcome = result.Outcome == StepOutcome.Succeeded ? StepOutcome.Failed : result.Outcome,
            Error = result.Error is null ? problem : $"{result.Error}; {problem}",
        };
    }
}
