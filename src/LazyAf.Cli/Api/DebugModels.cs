using System.Text.Json.Serialization;

namespace LazyAf.Cli.Api;

/// <summary>The body of <c>POST /api/pipeline-runs/{id}/debug-rerun</c>.</summary>
internal sealed record DebugRerunRequest(List<string> Breakpoints, bool PauseOnFailure, string? Commit);

/// <summary>The body of <c>POST /api/debug/{sid}/mark</c>: <c>passed</c> or <c>failed</c>.</summary>
internal sealed record MarkStepRequest(string Outcome);

/// <summary>The debug re-run that was started.</summary>
internal sealed record DebugRerun(string RunId);

/// <summary>A debug run as <c>lazyaf debug</c> follows it: its state, the step it paused at, and its steps' states.</summary>
internal sealed record DebugRun(string Id, string Pipeline, string State, string? PausedStep, bool PausedAfterFailure, string? Error, List<PipelineRunStep> Steps)
{
    public bool IsFinished => State is "passed" or "failed" or "cancelled";
}

/// <summary>A debug session: where its run paused, and until when it waits.</summary>
internal sealed record DebugSession(string Id, string RunId, string StepId, bool AfterFailure, string State, DateTimeOffset ExpiresAt, string? EndReason);

/// <summary>A one-time terminal token and the terminal's root-relative URL that carries it.</summary>
internal sealed record TerminalToken(string Token, DateTimeOffset ExpiresAt, string Url);

/// <summary>A text frame to the terminal: <c>input</c> (with <see cref="Data"/>) or <c>resize</c> (with the size).</summary>
internal sealed record TerminalFrame(string Type, string? Data = null, int? Cols = null, int? Rows = null);

/// <summary>The terminal's last frame: <c>exit</c> with the shell's code, or <c>closed</c> with why.</summary>
internal sealed record TerminalEnd(string Type, int? Code, string? Reason);

/// <summary>Source-generated JSON for the debug commands (the API's snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DebugRerunRequest))]
[JsonSerializable(typeof(DebugRerun))]
[JsonSerializable(typeof(MarkStepRequest))]
[JsonSerializable(typeof(DebugRun))]
[JsonSerializable(typeof(DebugSession))]
[JsonSerializable(typeof(List<DebugSession>))]
[JsonSerializable(typeof(TerminalToken))]
[JsonSerializable(typeof(TerminalFrame))]
[JsonSerializable(typeof(TerminalEnd))]
internal sealed partial class DebugJson : JsonSerializerContext;
