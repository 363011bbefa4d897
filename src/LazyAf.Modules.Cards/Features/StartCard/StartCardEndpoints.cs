using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Cards.Features.StartCard;

/// <summary>
/// <c>start</c> and <c>retry</c>: the card moves to in_progress, a new attempt opens and an execution
/// is requested, all in one transaction, so a crash cannot leave a started card with nothing
/// running. A retry continues the card's branch.
/// </summary>
internal static class StartCardEndpoints
{
    public static void MapStartCard(this IEndpointRouteBuilder api)
    {
        api.MapPost("/cards/{id}/start", (string id, StartServices services, HttpContext http, CancellationToken ct) => HandleAsync(id, CardTrigger.Start, null, services, Actor.Of(http), ct))
            .WithName("StartCard")
            .WithSummary("Run the card's step (409 while a blocker is not done); 202 with the card and its new attempt");
        api.MapPost("/cards/{id}/retry", (string id, StartServices services, HttpContext http, CancellationToken ct) => HandleAsync(id, CardTrigger.Retry, null, services, Actor.Of(http), ct))
            .WithName("RetryCard")
            .WithSummary("Run a failed or reviewed card again, as a new attempt on its branch");
    }

    /// <summary>
    /// Starts the card's step as a new attempt for <paramref name="actor"/> (a user, or LazyAF itself for an
    /// <c>auto_start</c> card); with <paramref name="followUp"/> it continues the agent's session instead.
    /// </summary>
    public static async Task<Results<Accepted<CardResponse>, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, CardTrigger trigger, string? followUp, StartServices services, string actor, CancellationToken ct)
    {
        using var _ = await CardWorkflow.LockAsync(id, ct);
        if (await services.Workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        if (!card.CanFire(trigger, out var unmet))
            return CardProblems.NotAllowed(card, trigger, unmet);
        if (await services.Repos.FindAsync(card.Row.RepoId, ct) is not { } repo)
            return Problems.NotFound("repo", card.Row.RepoId);

        var executionId = Ids.New();
        var branch = card.Row.BranchName ?? $"lazyaf/card-{Ids.ShortForm(card.Row.Id)}";
        var baseBranch = card.Row.BaseBranch ?? repo.DefaultBranch;
        CardExecutionStep.FollowUp? resume = null;
        if (followUp is not null)
        {
            if (await services.History.LatestSessionAsync(id, ct) is not { } session)
                return Problems.Conflict("No agent session", $"Card {id} has no agent session to continue; start or retry it instead.");
            resume = new CardExecutionStep.FollowUp(followUp, session);
        }
        var (step, problem) = await services.ExecutionStep.BuildAsync(card.Row, branch, baseBranch, resume, ct);
        if (problem is not null)
            return problem;
        var moved = await services.Workflow.MoveAsync(card, trigger, actor, null, ct,
            edit: row => row with { BranchName = branch },
            alongside: async (tx, row) =>
            {
                var attempt = await CardHistoryStore.StartAttemptAsync(tx, row.Id, executionId, branch, followUp, services.Clock.GetUtcNow(), ct);
                await services.Executions.RequestAsync(tx, new ExecutionRequested(
                    executionId, $"card:{row.Id}:attempt:{attempt}", "card", row.Id, row.RepoId, baseBranch, branch,
                    step!, row.Title, row.Description, services.TimeoutSeconds, (int)attempt), ct);
            });
        if (moved.Outcome != CardWorkflow.Outcome.Moved)
            return CardProblems.Of(moved, trigger);
        return TypedResults.Accepted($"/api/executions/{executionId}", await services.View.OfAsync(moved.Card, ct));
    }
}

/// <summary>What starting a card needs, in one parameter.</summary>
internal sealed class StartServices(
    CardWorkflow workflow, IRepoCatalog repos, IStepExecutions executions, CardView view, CardHistoryStore history,
    CardExecutionStep executionStep, TimeProvider clock, IOptions<CardsOptions> options)
{
    public CardHistoryStore History => history;
    public CardExecutionStep ExecutionStep => executionStep;
    public IStepExecutions Executions => executions;
    public CardWorkflow Workflow => workflow;
    public IRepoCatalog Repos => repos;
    public CardView View => view;
    public TimeProvider Clock => clock;
    public int TimeoutSeconds { get; } = options.Value.StepTimeoutSeconds;
}
