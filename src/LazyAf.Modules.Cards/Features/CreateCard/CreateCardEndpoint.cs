using System.Text.Json;
using System.Text.Json.Serialization;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Cards.Features.CreateCard;

internal static class CreateCardEndpoint
{
    /// <summary>A field this request does not have is refused (a misspelt <c>auto_start</c> must not pass silently).</summary>
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record CreateCardRequest(
        string? Title,
        string? StepType,
        JsonElement StepConfig,
        string? Description = null,
        string? BranchName = null,
        string? BaseBranch = null,
        IReadOnlyList<string>? Requires = null,
        bool? AutoStart = null,
        IReadOnlyList<string>? BlockedBy = null);

    public static void MapCreateCard(this IEndpointRouteBuilder api) =>
        api.MapPost("/repos/{repoId}/cards", HandleAsync)
            .WithName("CreateCard")
            .WithSummary("Create a card in a repo's todo column; with auto_start it starts once its blockers (blocked_by) are done, or now");

    private static async Task<Results<Created<CardResponse>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string repoId, CreateCardRequest request, IRepoCatalog repos, IDatabase database, IEventOutbox outbox, CardWorkflow workflow, TimeProvider clock, CancellationToken ct)
    {
        if (await repos.FindAsync(repoId, ct) is not { } repo)
            return Problems.NotFound("repo", repoId);
        if (Validate(request) is { Count: > 0 } errors)
            return Problems.Invalid(errors);
        // A base that does not exist would fail only when the card starts; the default branch may be pushed later.
        if (CardFields.NullIfEmpty(request.BaseBranch) is { } baseBranch && baseBranch != repo.DefaultBranch && await repos.BranchTipAsync(repoId, baseBranch, ct) is null)
            return Problems.Invalid("base_branch", $"repo {repo.Name} has no branch '{baseBranch}'");

        var blockers = new List<Card>();
        foreach (var blockerId in (request.BlockedBy ?? []).Distinct())
        {
            if (await workflow.LoadAsync(blockerId, ct) is not { } blocker || blocker.Row.RepoId != repoId)
                return Problems.Invalid("blocked_by", $"repo {repo.Name} has no card '{blockerId}'");
            blockers.Add(blocker);
        }

        var now = clock.GetUtcNow();
        var status = EnumText.Of(CardStatus.Todo);
        await using var tx = await database.BeginWriteAsync(ct);
        var row = new CardRow
        {
            Id = Ids.New(),
            RepoId = repoId,
            Title = request.Title!.Trim(),
            Description = request.Description ?? "",
            Status = status,
            StepType = request.StepType!,
            StepConfig = request.StepConfig.GetRawText(),
            BranchName = CardFields.NullIfEmpty(request.BranchName),
            BaseBranch = CardFields.NullIfEmpty(request.BaseBranch),
            Position = await CardStore.NextPositionAsync(tx, repoId, status, ct),
            Requires = JsonSerializer.Serialize(request.Requires ?? []),
            AutoStart = request.AutoStart ?? false,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
        // An auto_start card whose blockers are all done (or that has none) is ready now, in the same transaction.
        var ready = row.AutoStart && blockers.All(b => b.Status == CardStatus.Done);
        if (ready)
            row = row with { ReadyAt = now };
        await CardStore.InsertAsync(tx, row, ct);
        foreach (var blocker in blockers)
            await DependencyStore.AddAsync(tx, row.Id, blocker.Row.Id, ct);
        await outbox.EnqueueAsync(tx, new CardCreated(CardSnapshots.Of(row)), ct);
        if (ready)
            await outbox.EnqueueAsync(tx, new CardReadyToStart(row.Id, repoId, null), ct);
        await tx.CommitAsync(ct);

        var card = await workflow.LoadAsync(row.Id, ct);
        return TypedResults.Created($"/api/cards/{row.Id}", CardResponse.From(card!, [], []));
    }

    private static Dictionary<string, string[]> Validate(CreateCardRequest request) =>
        CardFields.Check(CardSteps.Read(request.StepType, request.StepConfig, request.Requires).ByField(),
            request.Title, titleRequired: true, request.Description, request.BranchName, request.BaseBranch);
}
