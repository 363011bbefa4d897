using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Agents.Domain;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>A playground run as the API shows it: what was asked, where its execution is, and what it produced and cost.</summary>
/// <param name="Id">The run.</param>
/// <param name="RepoId">Its repo.</param>
/// <param name="Agent">The agent kind that ran.</param>
/// <param name="Model">The model asked for, if any.</param>
/// <param name="BaseBranch">The branch it started from.</param>
/// <param name="BaseSha">That branch's tip when the run started; the work branch starts here.</param>
/// <param name="Task">The prompt.</param>
/// <param name="ExecutionId">Its execution (logs, approvals: <c>/api/executions/{id}</c>).</param>
/// <param name="WorkBranch">The throw-away branch the result is pushed to, <c>lazyaf/playground-…</c>.</param>
/// <param name="State">The execution's state.</param>
/// <param name="Error">Why it failed, if it did.</param>
/// <param name="ResultSha">The pushed head of the work branch, once the agent exited.</param>
/// <param name="SavedTo">The branch the result was last saved to.</param>
/// <param name="CreatedAt">When it was asked for.</param>
/// <param name="StartedAt">When the agent started.</param>
/// <param name="FinishedAt">When it ended.</param>
/// <param name="Usage">Session, tokens and cost so far.</param>
internal sealed record PlaygroundRunResponse(
    string Id,
    string RepoId,
    string Agent,
    string? Model,
    string BaseBranch,
    string BaseSha,
    string Task,
    string ExecutionId,
    string WorkBranch,
    ExecutionState State,
    string? Error,
    string? ResultSha,
    string? SavedTo,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    ExecutionUsage? Usage)
{
    public static PlaygroundRunResponse From(PlaygroundRunState state)
    {
        var (run, execution) = (state.Run, state.Execution);
        return new(
            run.Id, run.RepoId, run.Agent, run.Model, run.BaseBranch, run.BaseSha, run.Task, run.ExecutionId, run.WorkBranch,
            state.State, execution?.Error, state.ResultSha, run.SavedTo, run.CreatedAt, execution?.StartedAt, execution?.FinishedAt, execution?.Usage);
    }
}
