using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// A step that failed only because of quarantined tests passes: the runner failed it for its exit code (the test
/// command's) or for its failed tests, and every failed test is quarantined. Any other reason (a failed push, a full
/// disk, a timeout) still fails it.
/// </summary>
internal static class QuarantinedFailures
{
    public static StepResult Apply(StepResult result, TestVerdict verdict)
    {
        if (result is not { Outcome: StepOutcome.Failed, Tests: { Failed: > 0 } tests } || verdict.Quarantined.Count == 0)
            return result;
        var byTests = result.Error == $"exit code {result.ExitCode}" || result.Error == $"{tests.Failed} of {tests.Total} tests failed";
        var quarantined = verdict.Quarantined.ToHashSet(StringComparer.Ordinal);
        return byTests && tests.Failures.All(f => quarantined.Contains(f.Name))
            ? result with { Outcome = StepOutcome.Succeeded, Error = null }
            : result;
    }
}
