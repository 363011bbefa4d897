namespace LazyAf.Cli.Api;

/// <summary>A remote runner as <c>/api/runners</c> shows it.</summary>
internal sealed record Runner(
    string Id, string Name, List<string> Labels, List<string> StepKinds, int Capacity, string Version, string State,
    bool Connected, bool Draining, DateTimeOffset CreatedAt, DateTimeOffset? ConnectedAt, DateTimeOffset? LastSeenAt, List<string> Executions);

/// <summary>The body of <c>POST /api/runners/tokens</c>.</summary>
internal sealed record CreateRunnerTokenRequest(string? Description, int? ExpiresInMinutes, int? Uses);

/// <summary>A new registration token, shown this once.</summary>
internal sealed record RunnerToken(string Id, string Token, DateTimeOffset ExpiresAt, int? Uses);
