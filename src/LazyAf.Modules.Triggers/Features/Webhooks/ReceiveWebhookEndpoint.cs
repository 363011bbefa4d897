using System.Text.Json;
using System.Text.RegularExpressions;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Modules.Triggers.Features.Firings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Refusal = Microsoft.AspNetCore.Http.HttpResults.Results<LazyAf.Kernel.Http.UnauthorizedProblem, LazyAf.Kernel.Http.PayloadTooLargeProblem, LazyAf.Kernel.Http.UnprocessableProblem>;

namespace LazyAf.Modules.Triggers.Features.Webhooks;

/// <summary>
/// <c>POST /api/webhooks/{token}</c>: a verified delivery is accepted as a trigger (202, durably, once per
/// pipeline, branch and commit unless forced) before any run starts. Unknown token 404, bad signature 401, bad
/// body 400, a branch the repo does not have 422; every token has its own rate limit.
/// </summary>
internal static partial class ReceiveWebhookEndpoint
{
    public const int MaxBody = 1024 * 1024;

    public sealed record IgnoredResponse(string Status, string Reason);

    [GeneratedRegex("^([0-9a-f]{40}|[0-9a-f]{64})$")]
    private static partial Regex ShaPattern();

    public static void MapReceiveWebhook(this IEndpointRouteBuilder api) =>
        api.MapPost("/webhooks/{token}", HandleAsync)
            .WithName("ReceiveWebhook")
            .WithSummary("Deliver a webhook (generic JSON, GitHub or GitLab push): runs the webhook's pipeline; ?force=true runs it even for a commit it already ran on")
            // The handler reads the body itself: any JSON (GitHub's and GitLab's push payloads among it).
            .Accepts<JsonElement>("application/json")
            .DisableAntiforgery()
            .RequireRateLimiting(WebhookRateLimit.Policy)
            // The rate limiter answers it before the handler runs, so no result type of the handler declares it.
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

    private static async Task<Results<Accepted<FiringResponse>, Ok<FiringResponse>, Ok<IgnoredResponse>, ValidationProblem, NotFoundProblem, Refusal>> HandleAsync(
        string token, bool? force, HttpContext http, WebhookStore webhooks, IRepoCatalog repos, IPipelineCatalog pipelines, FiringRecorder recorder, CancellationToken ct)
    {
        if (http.Request.ContentLength > MaxBody || await WebhookBody.ReadAsync(http.Request, MaxBody, ct) is not { } body)
            return (Refusal)Problems.PayloadTooLarge("Payload too large", $"A delivery is at most {MaxBody} bytes.", "too-large");
        if (await webhooks.FindByTokenAsync(token, ct) is not { } webhook)
            return Problems.NotFound("webhook", token);
        if (!WebhookSignature.IsAuthentic(webhook.Provider, webhooks.SecretOf(webhook), http.Request.Headers, body))
            return (Refusal)Problems.Unauthorized("Signature does not match",
                $"The delivery is not signed with this webhook's secret ({SignatureHint(webhook.Provider)}); nothing runs.", "unauthorized");

        var delivery = WebhookDelivery.Read(webhook.Provider, http.Request.Headers, body);
        if (delivery is WebhookDelivery.Ignored ignored)
            return TypedResults.Ok(new IgnoredResponse("ignored", ignored.Reason));
        if (delivery is not WebhookDelivery.Push push)
            return Problems.Invalid("body", ((WebhookDelivery.Invalid)delivery).Message);
        if (BranchNames.Check(push.Branch) is { } badBranch)
            return Problems.Invalid("branch", badBranch);
        if (push.Commit is { } given && !ShaPattern().IsMatch(given))
            return Problems.Invalid("commit", "commit is a full lower-case hex sha.");
        // The run is for the branch: a delivery naming a branch LazyAF does not have runs nothing, whatever commit it names.
        if (await repos.BranchTipAsync(webhook.RepoId, push.Branch, ct) is not { } tip)
            return (Refusal)Problems.Unprocessable("No such branch",
                $"There is no branch '{push.Branch}' in this repo; push it to LazyAF first.", "no-such-branch");
        var sha = push.Commit ?? tip;

        var pipeline = (await pipelines.ListAsync(webhook.RepoId, push.Branch, ct)).FirstOrDefault(p => p.Name == webhook.Pipeline);
        if (pipeline is null)
            return (Refusal)Problems.Unprocessable("Pipeline not defined",
                $"Pipeline '{webhook.Pipeline}' is not defined for branch '{push.Branch}'.", "pipeline-not-defined");
        var trigger = pipeline.Triggers.FirstOrDefault(t => t.Kind == TriggerKinds.Webhook);
        if (trigger is not null && !BranchGlob.Fires(trigger.Branches, trigger.IncludeLazyafBranches, push.Branch))
            return TypedResults.Ok(new IgnoredResponse("ignored", $"branch '{push.Branch}' does not match the webhook trigger's branches"));

        var accepted = await recorder.AcceptAsync(new FiringRequest(webhook.RepoId, webhook.Pipeline, TriggerKinds.Webhook, push.Branch, sha,
            trigger?.OnPass ?? TriggerAction.Nothing, trigger?.OnFail ?? TriggerAction.Nothing, $"webhook:{webhook.Id}")
        {
            Params = push.Params,
            Forced = force == true || push.Force,
        }, ct);
        var response = FiringResponse.Of(accepted.Firing, accepted.Created);
        return accepted.Created ? TypedResults.Accepted($"/api/trigger-firings/{accepted.Firing.Id}", response) : TypedResults.Ok(response);
    }

    private static string SignatureHint(string provider) => provider switch
    {
        Webhook.GitLab => $"{WebhookSignature.GitLabTokenHeader} must equal it",
        _ => $"{WebhookSignature.HubSignatureHeader} must be sha256= and the HMAC-SHA256 of the raw body",
    };
}
