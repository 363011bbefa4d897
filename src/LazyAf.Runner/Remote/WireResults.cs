using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Wire = LazyAf.Protocol.V1;

namespace LazyAf.Runner.Remote;

/// <summary>Results, test summaries and log chunks between the step runner's types and the wire, both ways.</summary>
public static class WireResults
{
    /// <summary>A run's result as the runner reports it; <paramref name="lastSeq"/> is the seq of its last log chunk.</summary>
    public static Wire.StepResult ToWire(string executionId, StepResult result, long lastSeq)
    {
        ArgumentNullException.ThrowIfNull(result);
        var wire = new Wire.StepResult
        {
            ExecutionId = executionId,
            Outcome = ToWire(result.Outcome),
            Error = result.Error ?? "",
            Tests = result.Tests is { } tests ? ToWire(tests) : null,
            Branch = result.Branch,
            CommitSha = result.CommitSha ?? "",
            Changed = result.Changed,
            LogTail = result.LogTail,
            LastSeq = lastSeq,
            TestCases = result.Tests?.Cases.Count ?? 0,
        };
        if (result.ExitCode is { } exitCode)
            wire.ExitCode = exitCode;
        return wire;
    }

    /// <summary>A reported result as the host records it.</summary>
    public static StepResult ToRunner(Wire.StepResult wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        var outcome = ToRunner(wire.Outcome);
        return new StepResult(
            outcome,
            wire.HasExitCode ? wire.ExitCode : null,
            wire.Error.Length > 0 ? wire.Error : outcome == StepOutcome.Succeeded ? null : "the runner gave no reason",
            wire.Tests is { } tests ? ToRunner(tests) : null,
            wire.Branch,
            wire.CommitSha.Length > 0 ? wire.CommitSha : null,
            wire.Changed)
        {
            LogTail = wire.LogTail,
        };
    }

    /// <summary>An outcome on the wire.</summary>
    public static Wire.StepOutcome ToWire(StepOutcome outcome) => outcome switch
    {
        StepOutcome.Succeeded => Wire.StepOutcome.Succeeded,
        StepOutcome.Cancelled => Wire.StepOutcome.Cancelled,
        StepOutcome.TimedOut => Wire.StepOutcome.TimedOut,
        _ => Wire.StepOutcome.Failed,
    };

    /// <summary>An outcome from the wire; an unset or unknown one is a failure.</summary>
    public static StepOutcome ToRunner(Wire.StepOutcome outcome) => outcome switch
    {
        Wire.StepOutcome.Succeeded => StepOutcome.Succeeded,
        Wire.StepOutcome.Cancelled => StepOutcome.Cancelled,
        Wire.StepOutcome.TimedOut => StepOutcome.TimedOut,
        _ => StepOutcome.Failed,
    };

    /// <summary>A test summary on the wire.</summary>
    public static Wire.TestSummary ToWire(TestSummary tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        var wire = new Wire.TestSummary { Total = tests.Total, Passed = tests.Passed, Failed = tests.Failed, Skipped = tests.Skipped };
        wire.Failures.AddRange(tests.Failures.Select(f => new Wire.TestFailure { Name = f.Name, Message = f.Message, Report = f.Report, Output = f.Output }));
        return wire;
    }

    /// <summary>A test summary from the wire.</summary>
    public static TestSummary ToRunner(Wire.TestSummary wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        return new TestSummary(wire.Total, wire.Passed, wire.Failed, wire.Skipped, [.. wire.Failures.Select(f => new TestFailure(f.Name, f.Message, f.Report) { Output = f.Output })]);
    }

    /// <summary>A test case on the wire.</summary>
    public static Wire.TestCase ToWire(TestCaseResult testCase)
    {
        ArgumentNullException.ThrowIfNull(testCase);
        return new Wire.TestCase
        {
            Suite = testCase.Suite,
            Name = testCase.Name,
            Outcome = testCase.Outcome switch
            {
                TestCaseOutcome.Passed => Wire.TestCaseOutcome.Passed,
                TestCaseOutcome.Skipped => Wire.TestCaseOutcome.Skipped,
                _ => Wire.TestCaseOutcome.Failed,
            },
            DurationMs = testCase.DurationMs,
            Message = testCase.Message,
        };
    }

    /// <summary>A test case from the wire; an unset or unknown outcome is a failure.</summary>
    public static TestCaseResult ToRunner(Wire.TestCase wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        var outcome = wire.Outcome switch
        {
            Wire.TestCaseOutcome.Passed => TestCaseOutcome.Passed,
            Wire.TestCaseOutcome.Skipped => TestCaseOutcome.Skipped,
            _ => TestCaseOutcome.Failed,
        };
        return new TestCaseResult(wire.Suite, wire.Name, outcome, Math.Max(0, wire.DurationMs), wire.Message);
    }

    /// <summary>Coverage on the wire.</summary>
    public static Wire.CoverageReport ToWire(string executionId, CoverageSummary coverage)
    {
        ArgumentNullException.ThrowIfNull(coverage);
        return new Wire.CoverageReport
        {
            ExecutionId = executionId,
            LinesCovered = coverage.LinesCovered,
            LinesValid = coverage.LinesValid,
            BranchesCovered = coverage.BranchesCovered,
            BranchesValid = coverage.BranchesValid,
        };
    }

    /// <summary>Coverage from the wire; negative counts read as 0.</summary>
    public static CoverageSummary ToRunner(Wire.CoverageReport wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        return new CoverageSummary(Math.Max(0, wire.LinesCovered), Math.Max(0, wire.LinesValid), Math.Max(0, wire.BranchesCovered), Math.Max(0, wire.BranchesValid));
    }

    /// <summary>A log chunk on the wire.</summary>
    public static Wire.LogChunk ToWire(LogChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        return new Wire.LogChunk
        {
            ExecutionId = chunk.ExecutionId,
            Seq = chunk.Seq,
            Stream = chunk.Stream switch
            {
                LogStream.Stdout => Wire.LogStream.Stdout,
                LogStream.Stderr => Wire.LogStream.Stderr,
                LogStream.Agent => Wire.LogStream.Agent,
                _ => Wire.LogStream.System,
            },
            At = Timestamp.FromDateTimeOffset(chunk.At),
            Data = ByteString.CopyFrom(chunk.Data.Span),
        };
    }

    /// <summary>A log chunk from the wire; an unset stream reads as the runner's own (system) output.</summary>
    public static LogChunk ToRunner(Wire.LogChunk wire)
    {
        ArgumentNullException.ThrowIfNull(wire);
        var stream = wire.Stream switch
        {
            Wire.LogStream.Stdout => LogStream.Stdout,
            Wire.LogStream.Stderr => LogStream.Stderr,
            Wire.LogStream.Agent => LogStream.Agent,
            _ => LogStream.System,
        };
        return new LogChunk(wire.ExecutionId, wire.Seq, stream, wire.At?.ToDateTimeOffset() ?? DateTimeOffset.UnixEpoch, wire.Data.Memory);
    }
}
