using System.Text.Json.Serialization;

namespace LazyAf.Cli.Api;

/// <summary>An agent kind the host's runners can run, as <c>/api/agents</c> shows it.</summary>
internal sealed record AgentCli(string Kind, bool Available, string? Path, string? Version, List<string> Models, string Runner);

/// <summary>A platform agent file: named instructions a card's agent or the playground is given.</summary>
internal sealed record AgentFile(string Id, string Name, string Description, string Content, string? Model, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The body of <c>POST /api/agent-files</c> and <c>PUT /api/agent-files/{id}</c> (the whole file: what is left out becomes empty).</summary>
internal sealed record AgentFileRequest(string Name, string Description, string Content, string? Model);

/// <summary>A playground run as <c>/api/playground/runs/{id}</c> shows it.</summary>
internal sealed record PlaygroundRun(
    string Id, string RepoId, string Agent, string? Model, string BaseBranch, string BaseSha, string Task, string ExecutionId, string WorkBranch,
    string State, string? Error, string? ResultSha, string? SavedTo, DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    PlaygroundUsage? Usage)
{
    public bool IsFinished => State is "succeeded" or "failed" or "cancelled" or "timed_out";
}

/// <summary>What a playground run's agent used so far.</summary>
internal sealed record PlaygroundUsage(string? SessionId, string? Model, int? Turns, long InputTokens, long OutputTokens, decimal? CostUsd);

/// <summary>The body of <c>POST /api/repos/{id}/playground/runs</c>.</summary>
internal sealed record StartPlaygroundRequest(
    string Agent,
    string Task,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Branch,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] List<string>? AgentFiles,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TimeoutSeconds);

/// <summary>The body of <c>POST /api/playground/runs/{id}/save</c>.</summary>
internal sealed record SavePlaygroundRequest(string Branch);

/// <summary>Where a saved result went: the branch, its sha, and <c>created</c>, <c>fast_forwarded</c> or <c>up_to_date</c>.</summary>
internal sealed record SavedPlaygroundRun(string Branch, string Sha, string Outcome, PlaygroundRun Run);

/// <summary>Source-generated JSON for the agents' calls, in the API's snake_case.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<AgentCli>))]
[JsonSerializable(typeof(AgentFile))]
[JsonSerializable(typeof(List<AgentFile>))]
[JsonSerializable(typeof(AgentFileRequest))]
[JsonSerializable(typeof(PlaygroundRun))]
[JsonSerializable(typeof(List<PlaygroundRun>))]
[JsonSerializable(typeof(StartPlaygroundRequest))]
[JsonSerializable(typeof(SavePlaygroundRequest))]
[JsonSerializable(typeof(SavedPlaygroundRun))]
[JsonSerializable(typeof(RepoDiff))]
internal sealed partial class AgentsJson : JsonSerializerContext;
