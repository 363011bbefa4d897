using System.Text.Json;
using System.Text.Json.Serialization;
using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Execution.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.UpdateCard;

/// <summary>
/// Edits a card's fields. <c>status</c> may only make a move that needs no other work (sending a
/// card in review back to todo); everything else has its own endpoint (start, approve, retry).
/// </summary>
internal static class UpdateCardEndpoint
{
    private static readonly CardTrigger[] PatchableTriggers = [CardTrigger.Reject];

    /// <summary>Fields left out stay as they are; an empty <c>branch_name</c> or <c>base_branch</c> clears it; an unknown field is refused.</summary>
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record UpdateCardRequest(
        string? Title = null,
        string? Description = null,
        string? StepType = null,
        JsonElement? StepConfig = null,
        string? BranchName = null,
        string? BaseBranch = null,
        int? Position = null,
        IReadOnlyList<string>? Requires = null,
        bool? AutoStart = null,
        string? Status = null);

    public static void MapUpdateCard(this IEndpointRouteBuilder api) =>
        api.MapPatch("/cards/{id}", HandleAsync)
            .WithName("UpdateCard")
            .WithSummary("Edit a card; a status change must be a move the state machine allows without other work");

    private static async Task<Results<Ok<CardResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, UpdateCardRequest request, CardWorkflow workflow, CardView view, HttpContext http, CancellationToken ct)
    {
        using var _ = await CardWorkflow.LockAsync(id, ct);
        if (await workflow.LoadAsync(id, ct) is not { } card)
            return Problems.NotFound("card", id);
        if (Validate(request, card.Row) is { Count: > 0 } errors)
            return Problems.Invalid(errors);

        CardTrigger? move = null;
        if (request.Status is not null && request.Status != EnumText.Of(card.Status))
        {
            var wanted = EnumText.Parse<Contracts.CardStatus>(request.Status);
            move = Card.Transitions.Where(t => t.From == card.Status && t.To == wanted && PatchableTriggers.Contains(t.Trigger))
                .Select(t => (CardTrigger?)t.Trigger).FirstOrDefault();
            if (move is null)
                return CardProblems.StatusNotSettable(card, wanted);
        }

        var edited = Apply(request, card.Row);
        if (edited != card.Row)
        {
            if (await workflow.SaveAsync(edited, ct) is not { } saved)
                return CardProblems.Stale(id);
            card = new Card(saved, card.OpenBlockers);
        }
        if (move is { } trigger)
        {
            var result = await workflow.MoveAsync(card, trigger, Actor.Of(http), "status set by PATCH", ct);
            if (result.Outcome != CardWorkflow.Outcome.Moved)
                return CardProblems.Of(result, trigger);
            card = result.Card;
        }
        return TypedResults.Ok(await view.OfAsync(card, ct));
    }

    private static Dictionary<string, string[]> Validate(UpdateCardRequest request, CardRow current)
    {
        // The step is checked as a whole when any part of it changes: a new type must fit the stored config, new labels the schema.
        var errors = request.StepType is not null || request.StepConfig is not null || request.Requires is not null
            ? StepOf(request, current).ByField()
            : [];
        CardFields.Check(errors, request.Title, titleRequired: false, request.Description, request.BranchName, request.BaseBranch);
        if (request.Position is < 0)
            errors["position"] = ["position must be 0 or more."];
        if (request.Status is not null && !EnumText.TryParse<Contracts.CardStatus>(request.Status, out _))
            errors["status"] = ["status must be one of todo, in_progress, in_review, done, failed."];
        return errors;
    }

    private static StepRead StepOf(UpdateCardRequest request, CardRow current)
    {
        if (request.StepConfig is { } config)
            return CardSteps.Read(request.StepType ?? current.StepType, config, request.Requires ?? CardSteps.RequiresOf(current));
        using var stored = JsonDocument.Parse(current.StepConfig);
        return CardSteps.Read(request.StepType ?? current.StepType, stored.RootElement, request.Requires ?? CardSteps.RequiresOf(current));
    }

    private static CardRow Apply(UpdateCardRequest request, CardRow row) => row with
    {
        Title = request.Title?.Trim() ?? row.Title,
        Description = request.Description ?? row.Description,
        StepType = request.StepType ?? row.StepType,
        StepConfig = request.StepConfig?.GetRawText() ?? row.StepConfig,
        BranchName = request.BranchName is null ? row.BranchName : CardFields.NullIfEmpty(request.BranchName),
        BaseBranch = request.BaseBranch is null ? row.BaseBranch : CardFields.NullIfEmpty(request.BaseBranch),
        Position = request.Position ?? row.Position,
        Requires = request.Requires is null ? row.Requires : JsonSerializer.Serialize(request.Requires),
        AutoStart = request.AutoStart ?? row.AutoStart,
    };
}
