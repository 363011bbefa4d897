using LazyAf.Kernel.Events;

namespace LazyAf.Modules.Debug.Contracts;

/// <summary>Where a debug session is; its state machine moves it.</summary>
public enum DebugSessionState
{
    /// <summary>The run is paused before the step; nobody has a terminal open.</summary>
    Waiting,

    /// <summary>A terminal is open in the step's environment.</summary>
    Connected,

    /// <summary>Resumed, aborted, or its run ended. Final.</summary>
    Ended,

    /// <summary>Nobody resumed it in time; its run was aborted. Final.</summary>
    TimedOut,
}

/// <summary>A debug session as events carry it.</summary>
/// <param name="Id">The session.</param>
/// <param name="RunId">The paused pipeline run.</param>
/// <param name="StepId">The step the run paused before (or after, when <see cref="AfterFailure"/>).</param>
/// <param name="State">Where it is.</param>
/// <param name="ExpiresAt">When it times out unless extended or ended.</param>
/// <param name="EndReason">Why it ended, once it has.</param>
public sealed record DebugSessionSnapshot(string Id, string RunId, string StepId, DebugSessionState State, DateTimeOffset ExpiresAt, string? EndReason)
{
    /// <summary>The run paused after the step failed (<c>pause_on_failure</c>): its workspace holds what the step left.</summary>
    public bool AfterFailure { get; init; }
}

/// <summary>A debug session opened, changed state, or was extended.</summary>
/// <param name="Session">It, after the change.</param>
[IntegrationEvent("debug_session.updated")]
public sealed record DebugSessionUpdated(DebugSessionSnapshot Session) : IIntegrationEvent
{
    /// <inheritdoc />
    public IReadOnlyList<string> Topics() => [$"debug_session:{Session.Id}", $"pipeline_run:{Session.RunId}"];
}
