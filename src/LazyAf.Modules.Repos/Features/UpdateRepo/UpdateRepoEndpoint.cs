using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.UpdateRepo;

internal static class UpdateRepoEndpoint
{
    /// <summary>Fields left out stay as they are; an empty <c>remote_url</c>, <c>setup_command</c> or <c>secrets_file</c> clears it.</summary>
    public sealed record UpdateRepoRequest(string? Name = null, string? DefaultBranch = null, string? RemoteUrl = null, string? SetupCommand = null, string? SecretsFile = null);

    public static void MapUpdateRepo(this IEndpointRouteBuilder api) =>
        api.MapPatch("/{id}", HandleAsync)
            .WithName("UpdateRepo")
            .WithSummary("Rename a repo, change its default branch (HEAD follows) or its remote");

    private static async Task<Results<Ok<RepoResponse>, ValidationProblem, NotFoundProblem, ConflictProblem>> HandleAsync(
        string id, UpdateRepoRequest request, RepoStore store, BareRepositories repos, TimeProvider clock, HttpRequest http, CancellationToken ct)
    {
        if (await store.FindValidAsync(id, ct) is not { } repo)
            return Problems.NotFound("repo", id);

        if (RepoRules.CheckSettings(request.Name, request.DefaultBranch, request.RemoteUrl, nameRequired: false) is { Count: > 0 } errors)
            return Problems.Invalid(errors);
        if (RepoRules.CheckWorkspaceSettings(request.SetupCommand, request.SecretsFile) is { } badSetting)
            return Problems.Invalid(request.SetupCommand is { Length: > 4000 } ? "setup_command" : "secrets_file", badSetting);

        var updated = repo with
        {
            Name = request.Name ?? repo.Name,
            DefaultBranch = request.DefaultBranch ?? repo.DefaultBranch,
            RemoteUrl = Cleared(request.RemoteUrl, repo.RemoteUrl),
            SetupCommand = Cleared(request.SetupCommand, repo.SetupCommand),
            SecretsFile = Cleared(request.SecretsFile, repo.SecretsFile),
            UpdatedAt = clock.GetUtcNow(),
        };
        if (!await store.TryUpdateAsync(updated, ct))
            return Problems.Conflict("Name taken", $"A repo named '{updated.Name}' already exists.");
        if (updated.DefaultBranch != repo.DefaultBranch)
            await repos.SetHeadAsync(repo.Id, updated.DefaultBranch, ct);
        return TypedResults.Ok(RepoResponse.From(updated, http));
    }

    private static string? Cleared(string? requested, string? current) =>
        requested is null ? current : requested.Length == 0 ? null : requested;
}
