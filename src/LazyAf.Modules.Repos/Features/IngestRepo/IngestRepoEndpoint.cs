using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Features.CreateRepo;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.IngestRepo;

/// <summary>
/// What <c>lazyaf ingest</c> calls before it pushes: the repo of that name, created when new.
/// Ingesting again returns the same repo (and records a changed remote), so re-running is safe.
/// </summary>
internal static class IngestRepoEndpoint
{
    public static void MapIngestRepo(this IEndpointRouteBuilder api) =>
        api.MapPost("/ingest", HandleAsync)
            .WithName("IngestRepo")
            .WithSummary("Register a repo to push an existing repository into (idempotent by name)");

    private static async Task<Results<Created<RepoResponse>, Ok<RepoResponse>, ValidationProblem, ConflictProblem>> HandleAsync(
        CreateRepoRequest request, RepoCreation creation, RepoStore store, TimeProvider clock, HttpRequest http, CancellationToken ct)
    {
        if (RepoCreation.Validate(request) is { Count: > 0 } errors)
            return Problems.Invalid(errors);

        if (await store.FindByNameAsync(request.Name!, ct) is { } existing)
        {
            if (!string.IsNullOrEmpty(request.RemoteUrl) && request.RemoteUrl != existing.RemoteUrl)
            {
                existing = existing with { RemoteUrl = request.RemoteUrl, UpdatedAt = clock.GetUtcNow() };
                await store.TryUpdateAsync(existing, ct);
            }
            return TypedResults.Ok(RepoResponse.From(existing, http));
        }

        if (await creation.CreateAsync(request, ct) is { } created)
            return TypedResults.Created($"/api/repos/{created.Id}", RepoResponse.From(created, http));
        return Problems.Conflict("Name taken", $"A repo named '{request.Name}' was created at the same time; ingest again.");
    }
}
