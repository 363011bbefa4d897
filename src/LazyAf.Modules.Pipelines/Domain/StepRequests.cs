using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Modules.Agents.Contracts;
using LazyAf.Modules.Execution.Contracts;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>
/// Turns a step attempt into the <see cref="ExecutionRequested"/> that runs it: the run's commit checked out onto its work
/// branch, the pipeline's <c>env</c>, the step's own and the run's <c>params</c> (in that order of precedence, params last)
/// as environment, an agent step's <c>agent_files</c> as its instructions (as the branch sees them, like a card's), and
/// the attempts in its context with their log tails.
/// </summary>
internal sealed class StepRequests(IStepExecutions executions, IAgentInstructions instructions, IOptions<PipelinesOptions> options)
{
    public const string Kind = "pipeline_step";
    private const int LogTailChars = 8000;

    private readonly int _defaultTimeout = options.Value.StepTimeoutSeconds;

    public async Task<(StepRow Row, ExecutionRequested Request)> BuildAsync(
        RunRow run, PipelineDefinition definition, StepStart start, DateTimeOffset now, CancellationToken ct)
    {
        var step = start.Step;
        var executionId = Ids.New();
        var parameters = JsonSerializer.Deserialize<Dictionary<string, string>>(run.Params) ?? [];
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in definition.Env.Concat(step.Definition.Env).Concat(parameters))
            env[name] = value;
        var typed = step.Definition with { Env = env };
        if (typed is AgentStep { AgentFiles.Count: > 0 } agent)
        {
            // The run refused to start when a file was missing (RunStarter); one deleted since is left out.
            var resolved = await instructions.ResolveAsync(run.RepoId, run.Branch, agent.AgentFiles, ct);
            typed = agent with { SystemPrompt = resolved.Text };
        }

        var previous = new List<PreviousStepOutcome>();
        foreach (var row in start.Context)
            previous.Add(await PreviousAsync(definition, row, ct));

        var request = new ExecutionRequested(
            executionId, $"run:{run.Id}:step:{step.Id}:attempt:{start.Attempt}", Kind, run.Id, run.RepoId, run.Branch, run.WorkBranch,
            typed, $"{run.Pipeline}: {step.Name}",
            start.FixFor is { } target ? $"Fix step {step.Id} of pipeline {run.Pipeline}, fixing step {target}." : $"Step {step.Id} of pipeline {run.Pipeline}.",
            step.TimeoutSeconds ?? _defaultTimeout, start.Attempt)
        {
            BaseCommit = run.CommitSha,
            // A run that pauses on failure keeps each step's workspace past its end, for a shell into what it left.
            WorkspaceKey = step.ContinueInContext ? WorkspaceKey(run.Id) : run.PauseOnFailure ? StepWorkspaceKey(run.Id, step.Id) : null,
            RunId = run.Id,
            Pipeline = run.Pipeline,
            StepId = step.Id,
            PreviousSteps = previous,
        };
        var stepRow = new StepRow
        {
            RunId = run.Id, StepId = step.Id, Attempt = start.Attempt, Round = start.Round, FixFor = start.FixFor,
            ExecutionId = executionId, State = StepStates.Pending, CreatedAt = now,
        };
        return (stepRow, request);
    }

    public static string WorkspaceKey(string runId) => $"run:{runId}";

    /// <summary>The workspace of one step of a run that pauses on failure, kept until the run ends.</summary>
    public static string StepWorkspaceKey(string runId, string stepId) => $"run:{runId}:step:{stepId}";

    private async Task<PreviousStepOutcome> PreviousAsync(PipelineDefinition definition, StepRow row, CancellationToken ct) => new(
        definition.Step(row.StepId)?.Name ?? row.StepId,
        row.State switch
        {
            StepStates.Passed => ExecutionState.Succeeded,
            StepStates.Cancelled => ExecutionState.Cancelled,
            _ => ExecutionState.Failed,
        },
        row.ExitCode,
        row.Error,
        await executions.LogTailAsync(row.ExecutionId, LogTailChars, ct),
        StepRouting.Tests(row));
}
