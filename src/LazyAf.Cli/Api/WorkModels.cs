using System.Text.Json.Serialization;

namespace LazyAf.Cli.Api;

/// <summary>What a card's branch changed since it left its base, as <c>/api/cards/{id}/diff</c> shows it.</summary>
internal sealed record RepoDiff(string BaseSha, string HeadSha, string? MergeBaseSha, int Additions, int Deletions, List<FileChange> Files);

/// <summary>One changed file of a <see cref="RepoDiff"/>, with its unified diff.</summary>
internal sealed record FileChange(string Path, string? OldPath, string Status, int Additions, int Deletions, bool Binary, string Patch);

/// <summary>The body of <c>PATCH /api/cards/{id}</c>: only the fields given are sent, the rest stay as they are.</summary>
internal sealed record UpdateCardRequest(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BranchName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BaseBranch,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? Requires,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? AutoStart)
{
    [JsonIgnore]
    public bool IsEmpty => this == new UpdateCardRequest(null, null, null, null, null, null);
}

/// <summary>The body of <c>POST /api/cards/{id}/dependencies</c>.</summary>
internal sealed record AddDependenciesRequest(List<string> BlockedBy);

/// <summary>An agent's tool-permission request, as <c>/api/executions/{id}/approvals</c> shows it.</summary>
internal sealed record Approval(string RequestId, string ToolName, string Summary, string State, string? Message, string? DecidedBy, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);

/// <summary>A tool-permission request as <c>/api/approvals</c> lists it: with the execution it stops and its card or pipeline run.</summary>
internal sealed record QueuedApproval(
    string ExecutionId, string Kind, string? SubjectId, string? CardId, string? RunId, string RepoId, string RequestId, string ToolName, string Summary,
    string State, string? Message, string? DecidedBy, DateTimeOffset RequestedAt, DateTimeOffset? DecidedAt);

/// <summary>What <c>POST /api/cards/{id}/cancel</c> stopped: the latest attempt's execution, and the pipeline runs building the card's branch.</summary>
internal sealed record CardCancel(string CardId, string Status, CancelledExecution? Execution, List<string> PipelineRuns);

/// <summary>A cancelled execution of a card's attempt: <c>cancelled</c>, or <c>stopping</c> until its executor has killed it.</summary>
internal sealed record CancelledExecution(string Id, long Attempt, string Outcome);

/// <summary>The body of <c>POST /api/executions/{id}/approvals/{request}</c>: <c>allow</c> or <c>deny</c>, and what the agent is told.</summary>
internal sealed record ApprovalAnswer(string Decision, [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);

/// <summary>A secret's name and when it was last set (the API never gives a value back).</summary>
internal sealed record Secret(string Name, DateTimeOffset UpdatedAt);

/// <summary>The body of <c>PUT …/secrets/{name}</c>.</summary>
internal sealed record SetSecretRequest(string Value);
