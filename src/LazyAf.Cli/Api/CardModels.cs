using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace LazyAf.Cli.Api;

/// <summary>A card in a list, as <c>/api/repos/{id}/cards</c> shows it; only the fields the CLI uses.</summary>
internal sealed record CardSummary(string Id, string Title, string Status, string StepType, string? BranchName, int Position);

/// <summary>One card as <c>/api/cards/{id}</c> shows it: its fields, blockers, attempts and the moves it may make.</summary>
internal sealed record Card(
    string Id,
    string RepoId,
    string Title,
    string Description,
    string Status,
    string StepType,
    JsonElement StepConfig,
    string? BranchName,
    string? BaseBranch,
    List<string> Requires,
    bool AutoStart,
    List<CardBlocker> BlockedBy,
    List<CardAttempt> Attempts,
    List<CardMove> AllowedTransitions);

/// <summary>A card this one waits for.</summary>
internal sealed record CardBlocker(string Id, string Title, string Status);

/// <summary>One run of a card's step; <paramref name="ExecutionId"/> is the execution that runs it.</summary>
internal sealed record CardAttempt(long Number, string? ExecutionId, string? Branch, string? Outcome, string? TestSummary, decimal? CostUsd, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt);

/// <summary>A move the card could make now: the trigger and the status it leads to.</summary>
internal sealed record CardMove(string Trigger, string To);

/// <summary>One status change in a card's history, as <c>/api/cards/{id}/events</c> shows it.</summary>
internal sealed record CardTransition(string FromStatus, string ToStatus, string Trigger, string Actor, string? Reason, DateTimeOffset At);

/// <summary>The body of <c>POST /api/repos/{id}/cards</c>; what was not given is left out.</summary>
internal sealed record CreateCardRequest(
    string Title,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Description,
    string StepType,
    StepConfig StepConfig,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BranchName,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? BaseBranch,
    List<string> Requires,
    bool AutoStart);

/// <summary>A step's settings: <c>command</c> for script, <c>image</c> and <c>command</c> for docker, <c>agent</c> (+ model, prompt) for agent.</summary>
internal sealed record StepConfig(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Command = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Image = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Agent = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PromptTemplate = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonNode? Commit = null);

/// <summary>The body of <c>POST /api/cards/{id}/approve</c> when a target branch is given.</summary>
internal sealed record ApproveRequest(string TargetBranch);

/// <summary>The body of <c>POST /api/cards/{id}/reject</c>.</summary>
/// <summary>What to tell the agent next.</summary>
internal sealed record FollowUpRequest(string Message);

internal sealed record RejectRequest([property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Reason);
