using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>What follows a finished attempt: another attempt to start, a run failure, a stop, a merge or another pipeline.</summary>
internal sealed record RouteDecision(StepStart? Start = null, string? Error = null, bool Stop = false, StepRoute? Merge = null, string? TriggerPipeline = null);

/// <summary>
/// The routes of a finished attempt. A failed step is retried <c>retry</c> times; then <c>on_failure</c> applies. With
/// <c>run:{fix}</c> the fix step runs with the failure in its context and, when it passes, the failed step runs again in a
/// new round: at most <c>max_attempts</c> rounds, and the loop stops early when a round fails exactly as the round before.
/// </summary>
internal static class StepRouting
{
    public static RouteDecision Decide(PipelineDefinition definition, RunPlan plan, StepRow finished)
    {
        var step = definition.Step(finished.StepId)!;
        return finished.State switch
        {
            StepStates.Passed when finished.FixFor is { } target => RerunAfterFix(definition, plan, finished, target),
            StepStates.Passed => step.OnSuccess.Kind switch
            {
                RouteKind.Stop => new RouteDecision(Stop: true),
                RouteKind.Merge => new RouteDecision(Merge: step.OnSuccess),
                RouteKind.TriggerPipeline => new RouteDecision(TriggerPipeline: step.OnSuccess.Target),
                _ => new RouteDecision(),
            },
            StepStates.Failed when finished.FixFor is not null => new RouteDecision(Error: $"fix step {step.Id} failed: {Describe(finished)}"),
            StepStates.Failed => AfterFailure(definition, plan, step, finished),
            _ => new RouteDecision(Error: $"step {step.Id} was cancelled"),
        };
    }

    private static RouteDecision RerunAfterFix(PipelineDefinition definition, RunPlan plan, StepRow fix, string target)
    {
        var failing = plan.Latest(target)!;
        return new RouteDecision(new StepStart(definition.Step(target)!, plan.NextAttempt(target), failing.Round + 1, null, [fix, failing]));
    }

    private static RouteDecision AfterFailure(PipelineDefinition definition, RunPlan plan, PipelineStep step, StepRow failed)
    {
        if (plan.Rows.Count(r => r.StepId == step.Id && r.Round == failed.Round) <= step.Retry)
            return new RouteDecision(new StepStart(step, plan.NextAttempt(step.Id), failed.Round, null, [failed]));
        var failure = $"step {step.Id} failed: {Describe(failed)}";
        switch (step.OnFailure.Kind)
        {
            case RouteKind.Next:
                return new RouteDecision();
            case RouteKind.TriggerPipeline:
                return new RouteDecision(Error: failure, TriggerPipeline: step.OnFailure.Target);
            case RouteKind.Run:
                break;
            default:
                return new RouteDecision(Error: failure);
        }
        var previousRound = plan.Rows.Where(r => r.StepId == step.Id && r.Round == failed.Round - 1).MaxBy(r => r.Attempt);
        if (previousRound is not null && Signature(previousRound) == Signature(failed))
            return new RouteDecision(Error: $"fix loop made no progress: {failure} (the same failure as attempt {previousRound.Attempt})");
        if (failed.Round >= definition.MaxAttempts)
            return new RouteDecision(Error: $"fix loop gave up after {failed.Round} attempts: {failure}");
        var fix = definition.Step(step.OnFailure.Target!)!;
        return new RouteDecision(new StepStart(fix, plan.NextAttempt(fix.Id), failed.Round, step.Id, [failed]));
    }

    /// <summary>What makes two failures the same: the failing tests' names, or without tests the exit code and error.</summary>
    public static string Signature(StepRow row) => Tests(row) is { Failed: > 0 } tests
        ? "tests:" + string.Join(",", tests.FailedTests.Order(StringComparer.Ordinal))
        : $"exit:{row.ExitCode}:{row.Error}";

    public static string Describe(StepRow row) => Tests(row) switch
    {
        { Failed: > 0 } t => $"{t.Failed} of {t.Total} tests failed: {string.Join(", ", t.FailedTests.Take(5))}",
        _ => row.Error ?? (row.ExitCode is { } code ? $"exit code {code}" : row.State),
    };

    public static TestCounts? Tests(StepRow row) => row.Tests is null ? null : JsonSerializer.Deserialize<TestCounts>(row.Tests, LazyAfJson.Options);
}
