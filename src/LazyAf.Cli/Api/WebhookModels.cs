namespace LazyAf.Cli.Api;

/// <summary>A webhook as <c>/api/repos/{id}/webhooks</c> answers it (never with its secret).</summary>
internal sealed record Webhook(string Id, string RepoId, string Pipeline, string Provider, bool HasSecret, string Token, string Url, DateTimeOffset CreatedAt);

/// <summary>The body of <c>POST /api/repos/{id}/webhooks</c>.</summary>
internal sealed record AddWebhookRequest(string Pipeline, string Provider, string? Secret);
