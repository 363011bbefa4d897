using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Domain;

namespace LazyAf.Modules.Pipelines.Features;

/// <summary>
/// A run with its steps (graph order, fix steps last) and every attempt; <c>tests</c> sums the latest attempts' counts.
/// <c>paused_step</c> is the step a paused debug re-run waits before, or after when <c>paused_after_failure</c> (it failed; <c>pause_on_failure</c>). <c>head_sha</c>, once it ended, is the commit it ended with (<c>commit_sha</c> plus what its steps committed).
/// </summary>
internal sealed record RunResponse(
    string Id, string RepoId, string Pipeline, string? Source, string Branch, string WorkBranch, string? CommitSha, string? HeadSha, string State,
    string TriggerKind, string? TriggerId, string? CardId, IReadOnlyDictionary<string, string> Params, string? Error, string? PausedStep,
    bool PauseOnFailure, bool PausedAfterFailure,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, TestCounts? Tests, IReadOnlyList<RunStepView> Steps)
{
    public static RunResponse From(PipelineRun run, IReadOnlyList<StepRow> rows)
    {
        var r = run.Row;
        var definition = r.Definition is null ? null : DefinitionReader.Read(r.Definition, r.Pipeline).Definition;
        var steps = (definition?.Steps ?? []).OrderBy(s => definition!.FixSteps.Contains(s.Id)).Select(s =>
            RunStepView.From(s.Id, s.Name, s.Type, definition!.NeedsOf(s), [.. rows.Where(x => x.StepId == s.Id)], run.IsFinished)).ToList();
        var latest = steps.Select(s => s.Tests).OfType<TestCounts>().ToList();
        var tests = latest.Count == 0 ? null : new TestCounts(
            latest.Sum(t => t.Total), latest.Sum(t => t.Passed), latest.Sum(t => t.Failed), latest.Sum(t => t.Skipped), [.. latest.SelectMany(t => t.FailedTests)])
        {
            Quarantined = Union(latest.Select(t => t.Quarantined)),
            Flaky = Union(latest.Select(t => t.Flaky)),
            FailingOnBase = latest.Any(t => t.FailingOnBase is not null) ? Union(latest.Select(t => t.FailingOnBase)) ?? [] : null,
        };
        return new RunResponse(r.Id, r.RepoId, r.Pipeline, r.Source, r.Branch, r.WorkBranch, r.CommitSha, r.HeadSha, r.State, r.TriggerKind, r.TriggerId, r.CardId,
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.Params) ?? [], r.Error, r.PausedStep, r.PauseOnFailure, r.PausedAfterFailure,
            r.CreatedAt, r.StartedAt, r.FinishedAt, tests, steps);
    }

    private static string[]? Union(IEnumerable<IReadOnlyList<string>?> names) =>
        names.OfType<IReadOnlyList<string>>().SelectMany(n => n).Distinct(StringComparer.Ordinal).ToArray() is { Length: > 0 } all ? all : null;
}

/// <summary>A step of a run: its latest attempt's state and timing at the top, every attempt below.</summary>
internal sealed record RunStepView(
    string Id, string Name, string Type, IReadOnlyList<string> Needs, string State, int Attempt, string? ExecutionId, int? ExitCode, string? Error,
    TestCounts? Tests, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, IReadOnlyList<AttemptView> Attempts)
{
    public static RunStepView From(string id, string name, string type, IReadOnlyList<string> needs, IReadOnlyList<StepRow> rows, bool runFinished)
    {
        var attempts = rows.OrderBy(r => r.Attempt).Select(AttemptView.From).ToList();
        var last = attempts.LastOrDefault();
        return new RunStepView(id, name, type, needs, last?.State ?? RunPlan.Unstarted(runFinished), last?.Attempt ?? 0, last?.ExecutionId,
            last?.ExitCode, last?.Error, last?.Tests, last?.StartedAt, last?.FinishedAt, attempts);
    }
}

/// <summary>One attempt; <c>round</c> is its fix-loop round, <c>fix_for</c> the step a fix attempt fixed.</summary>
internal sealed record AttemptView(
    int Attempt, int Round, string? FixFor, string ExecutionId, string State, int? ExitCode, string? Error, TestCounts? Tests, string? CommitSha,
    DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt)
{
    public static AttemptView From(StepRow r) =>
        new(r.Attempt, r.Round, r.FixFor, r.ExecutionId, r.State, r.ExitCode, r.Error, StepRouting.Tests(r), r.CommitSha, r.StartedAt, r.FinishedAt);
}
