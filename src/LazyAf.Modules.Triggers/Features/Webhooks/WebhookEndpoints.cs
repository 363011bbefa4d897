using System.Security.Cryptography;
using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Triggers.Features.Webhooks;

/// <summary>Registering a repo's webhooks: each runs one pipeline; its secret is write-only.</summary>
internal static class WebhookEndpoints
{
    public const int MaxSecret = 1024;
    public const int MaxPipelineName = 200;

    public sealed record AddWebhookRequest(string? Pipeline, string? Provider = null, string? Secret = null);

    public sealed record WebhookResponse(string Id, string RepoId, string Pipeline, string Provider, bool HasSecret, string Token, string Url, DateTimeOffset CreatedAt)
    {
        public static WebhookResponse Of(Webhook webhook, HttpRequest request) => new(
            webhook.Id, webhook.RepoId, webhook.Pipeline, webhook.Provider, webhook.ProtectedSecret is not null, webhook.Token,
            $"{request.Scheme}://{request.Host}/api/webhooks/{webhook.Token}", webhook.CreatedAt);
    }

    public static void MapWebhookRegistration(this IEndpointRouteBuilder api)
    {
        api.MapPost("/repos/{id}/webhooks", AddAsync)
            .WithName("AddWebhook")
            .WithSummary("Register a webhook that runs a pipeline (provider generic, github or gitlab); answers its token and URL");
        api.MapGet("/repos/{id}/webhooks", ListAsync)
            .WithName("ListWebhooks")
            .WithSummary("A repo's webhooks (secrets are never returned)");
        api.MapDelete("/repos/{id}/webhooks/{webhookId}", DeleteAsync)
            .WithName("DeleteWebhook")
            .WithSummary("Remove a webhook; its URL answers 404 from then on");
    }

    private static async Task<Results<Created<WebhookResponse>, ValidationProblem, NotFoundProblem>> AddAsync(
        string id, AddWebhookRequest request, IRepoCatalog repos, IPipelineCatalog pipelines, WebhookStore webhooks, TimeProvider clock,
        HttpContext http, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await repos.FindAsync(id, ct) is not { } repo)
            return Problems.NotFound("repo", id);
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Pipeline) || request.Pipeline.Length > MaxPipelineName)
            errors["pipeline"] = [$"pipeline is the name of the pipeline to run (1 to {MaxPipelineName} characters)."];
        else if (await UnknownPipelineAsync(pipelines, repo, request.Pipeline.Trim(), ct) is { } unknown)
            errors["pipeline"] = [unknown];
        var provider = request.Provider ?? Webhook.Generic;
        if (!Webhook.Providers.Contains(provider))
            errors["provider"] = [$"provider must be one of {string.Join(", ", Webhook.Providers)}."];
        else if (provider != Webhook.Generic && string.IsNullOrEmpty(request.Secret))
            errors["secret"] = [$"a {provider} webhook needs a secret: deliveries are verified with it."];
        if (request.Secret is { Length: > MaxSecret })
            errors["secret"] = [$"secret must be at most {MaxSecret} characters."];
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var webhook = new Webhook
        {
            Id = Ids.New(),
            RepoId = id,
            Token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            Pipeline = request.Pipeline!.Trim(),
            Provider = provider,
            CreatedAt = clock.GetUtcNow(),
        };
        var stored = await webhooks.AddAsync(webhook, string.IsNullOrEmpty(request.Secret) ? null : request.Secret, ct);
        return TypedResults.Created($"/api/repos/{id}/webhooks/{webhook.Id}", WebhookResponse.Of(stored, http.Request));
    }

    // A webhook for a pipeline that does not exist would answer every delivery with 422: say so when it is added.
    private static async Task<string?> UnknownPipelineAsync(IPipelineCatalog pipelines, RepoInfo repo, string name, CancellationToken ct)
    {
        var defined = await pipelines.ListAsync(repo.Id, repo.DefaultBranch, ct);
        if (defined.Any(p => p.Name == name))
            return null;
        var known = defined.Count == 0 ? "it has none yet" : $"it has {string.Join(", ", defined.Select(p => p.Name).Order(StringComparer.Ordinal))}";
        return $"there is no pipeline '{name}' on {repo.DefaultBranch} (the repo's default branch); {known}.";
    }

    private static async Task<Results<Ok<IReadOnlyList<WebhookResponse>>, NotFoundProblem>> ListAsync(
        string id, IRepoCatalog repos, WebhookStore webhooks, HttpContext http, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await repos.FindAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        var list = await webhooks.ListAsync(id, ct);
        return TypedResults.Ok<IReadOnlyList<WebhookResponse>>([.. list.Select(w => WebhookResponse.Of(w, http.Request))]);
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DeleteAsync(string id, string webhookId, WebhookStore webhooks, CancellationToken ct) =>
        await webhooks.DeleteAsync(id, webhookId, ct) ? TypedResults.NoContent() : Problems.NotFound("webhook", webhookId);
}
