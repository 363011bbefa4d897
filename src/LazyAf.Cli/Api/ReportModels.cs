using System.Text.Json.Serialization;

namespace LazyAf.Cli.Api;

/// <summary>A test of a repo over its history (<c>GET /api/repos/{id}/tests</c>).</summary>
internal sealed record TestSummaryRow(string Name, long Runs, long Passed, long Failed, double? PassRate, string? LastOutcome,
    DateTimeOffset? LastFailedAt, long? MedianDurationMs, string Trend, bool Flaky, string? FlakyReason, QuarantineMarkRow? Quarantine);

/// <summary>Who quarantined a test.</summary>
internal sealed record QuarantineMarkRow(string By, DateTimeOffset At);

/// <summary>The quarantine of one test.</summary>
internal sealed record Quarantined(string Test, string? Reason, string QuarantinedBy, DateTimeOffset QuarantinedAt);

/// <summary>The body of a quarantine.</summary>
internal sealed record QuarantineRequest(string? Reason);

/// <summary>An artifact of an execution.</summary>
internal sealed record Artifact(string Name, long SizeBytes, string Sha256, DateTimeOffset CreatedAt);

/// <summary>An artifact of a pipeline run as <c>lazyaf artifacts --json</c> prints it: the step and execution that kept it, then the artifact's fields.</summary>
internal sealed record RunArtifact(string Step, string ExecutionId, string Name, long SizeBytes, string Sha256, DateTimeOffset CreatedAt);

/// <summary>Source-generated JSON of the test history and artifacts (the API's snake_case).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<TestSummaryRow>))]
[JsonSerializable(typeof(Quarantined))]
[JsonSerializable(typeof(QuarantineRequest))]
[JsonSerializable(typeof(List<Artifact>))]
[JsonSerializable(typeof(List<RunArtifact>))]
internal sealed partial class ReportsJson : JsonSerializerContext;
