namespace LazyAf.Modules.Triggers.Domain;

/// <summary>
/// A webhook endpoint, <c>POST /api/webhooks/{Token}</c>, that runs <see cref="Pipeline"/> of a repo. Its
/// secret (a GitHub HMAC key, a GitLab token) is kept encrypted and never shown again.
/// </summary>
internal sealed record Webhook
{
    public const string Generic = "generic";
    public const string GitHub = "github";
    public const string GitLab = "gitlab";

    public static readonly IReadOnlyList<string> Providers = [Generic, GitHub, GitLab];

    public required string Id { get; init; }
    public required string RepoId { get; init; }
    public required string Token { get; init; }
    public required string Pipeline { get; init; }
    public required string Provider { get; init; }
    public string? ProtectedSecret { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
