using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Data;
using LazyAf.Runner;
using Stateless;
using Stateless.Graph;

namespace LazyAf.Modules.Execution.Domain;

internal enum ExecutionTrigger
{
    Assign,
    Unassign,
    Start,
    Succeed,
    Fail,
    Cancel,
    TimeOut,
    Requeue,
}

/// <summary>A step execution and its state machine over the persisted <see cref="ExecutionRow.State"/>.</summary>
internal sealed class StepExecution
{
    public static readonly IReadOnlyList<(ExecutionState From, ExecutionTrigger Trigger, ExecutionState To)> Transitions =
    [
        (ExecutionState.Pending, ExecutionTrigger.Assign, ExecutionState.Assigned),
        (ExecutionState.Pending, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Assigned, ExecutionTrigger.Unassign, ExecutionState.Pending),
        (ExecutionState.Assigned, ExecutionTrigger.Start, ExecutionState.Running),
        (ExecutionState.Assigned, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Assigned, ExecutionTrigger.Fail, ExecutionState.Failed),
        (ExecutionState.Running, ExecutionTrigger.Succeed, ExecutionState.Succeeded),
        (ExecutionState.Running, ExecutionTrigger.Fail, ExecutionState.Failed),
        (ExecutionState.Running, ExecutionTrigger.Cancel, ExecutionState.Cancelled),
        (ExecutionState.Running, ExecutionTrigger.TimeOut, ExecutionState.TimedOut),
        // Its remote runner was lost mid-step and the step's runner_retries allow another attempt elsewhere.
        (ExecutionState.Running, ExecutionTrigger.Requeue, ExecutionState.Pending),
    ];

    private readonly StateMachine<ExecutionState, ExecutionTrigger> _machine;
    private ParsedRequest? _request;

    public StepExecution(ExecutionRow row)
    {
        Row = row;
        _machine = new StateMachine<ExecutionState, ExecutionTrigger>(
            () => EnumText.Parse<ExecutionState>(Row.State),
            state => Row = Row with { State = EnumText.Of(state) });
        ConfigureStateMachine();
    }

    public ExecutionRow Row { get; private set; }

    public ExecutionState State => EnumText.Parse<ExecutionState>(Row.State);

    public bool IsFinished => State.IsFinal();

    /// <summary>The request that created it.</summary>
    public ExecutionRequested Request
    {
        get
        {
            // Parsed once per stored text: routing and assigning read it several times, and it never changes.
            if (_request is not { } read || !ReferenceEquals(read.Json, Row.Request))
                _request = read = new ParsedRequest(Row.Request, StoredRequests.Read(Row.Request));
            return read.Parsed;
        }
    }

    /// <summary>This execution as it is stored once its change is saved: the next version, the request still parsed.</summary>
    public StepExecution Saved() => new(Row with { Version = Row.Version + 1 }) { _request = _request };

    // One reference, so a reader on another thread sees a text and its parse together.
    private sealed record ParsedRequest(string Json, ExecutionRequested Parsed);

    public bool CanFire(ExecutionTrigger trigger) => _machine.CanFire(trigger);

    public async Task FireAsync(ExecutionTrigger trigger, Func<ExecutionRow, ExecutionRow> record)
    {
        if (!_machine.CanFire(trigger))
            throw new InvalidOperationException($"{trigger} is not allowed from {State}.");
        await _machine.FireAsync(trigger);
        Row = record(Row);
    }

    /// <summary>Records how its step ended: the state its outcome leads to, with the exit code, error, tests and pushed commit.</summary>
    public Task FinishAsync(StepResult result, DateTimeOffset now, TestVerdict? verdict = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var trigger = result.Outcome switch
        {
            StepOutcome.Succeeded => ExecutionTrigger.Succeed,
            StepOutcome.Cancelled => ExecutionTrigger.Cancel,
            StepOutcome.TimedOut => ExecutionTrigger.TimeOut,
            _ => ExecutionTrigger.Fail,
        };
        return FireAsync(trigger, row => row with
        {
            ExitCode = result.ExitCode,
            Error = result.Error,
            Tests = result.Tests is { } tests ? JsonSerializer.Serialize(Counts(tests, verdict ?? TestVerdict.None), LazyAfJson.Options) : null,
            CommitSha = result.CommitSha,
            FinishedAt = now,
            UpdatedAt = now,
        });
    }

    /// <summary>Who it is, for the events about it.</summary>
    public ExecutionIdentity Identity => new(Row.Id, Row.Kind, Row.SubjectId);

    public ExecutionSnapshot Snapshot() => new(
        Row.Id, Row.Kind, Row.SubjectId, Row.RepoId, State, Row.ExitCode, Row.Error, Row.Branch, Row.CommitSha,
        Row.Tests is null ? null : JsonSerializer.Deserialize<TestCounts>(Row.Tests, LazyAfJson.Options))
    {
        StartedAt = Row.StartedAt,
        FinishedAt = Row.FinishedAt,
    };

    /// <summary>The machine as a Mermaid state diagram (kept in docs/state-machines/step-execution.mmd).</summary>
    public static string StateDiagram() =>
        MermaidGraph.Format(new StepExecution(new ExecutionRow { Id = "", IdempotencyKey = "", Kind = "", RepoId = "", Branch = "", Request = "", State = "pending" })._machine.GetInfo());

    // Enough of each failure message for a fix step to see why; the report file in the branch has the rest.
    private const int MaxFailureMessages = 50;
    private const int MaxFailureMessageLength = 2000;
    private const int MaxFailureOutputLength = 4000;

    private static TestCounts Counts(TestSummary tests, TestVerdict verdict) => new(tests.Total, tests.Passed, tests.Failed, tests.Skipped, [.. tests.Failures.Select(f => f.Name)])
    {
        Quarantined = verdict.Quarantined.Count > 0 ? verdict.Quarantined : null,
        Flaky = verdict.Flaky.Count > 0 ? verdict.Flaky : null,
        FailingOnBase = verdict.Judged ? verdict.FailingOnBase : null,
        FailureMessages = tests.Failures.Where(f => f.Message.Length > 0).Take(MaxFailureMessages).DistinctBy(f => f.Name)
            .ToDictionary(f => f.Name, f => f.Message.Length <= MaxFailureMessageLength ? f.Message : f.Message[..MaxFailureMessageLength] + "…"),
        FailureOutputs = tests.Failures.Where(f => f.Output.Length > 0).Take(MaxFailureMessages).DistinctBy(f => f.Name)
            .ToDictionary(f => f.Name, f => f.Output.Length <= MaxFailureOutputLength ? f.Output : "…" + f.Output[^MaxFailureOutputLength..]),
    };

    private void ConfigureStateMachine()
    {
        foreach (var (from, trigger, to) in Transitions)
            _machine.Configure(from).Permit(trigger, to);
    }
}
