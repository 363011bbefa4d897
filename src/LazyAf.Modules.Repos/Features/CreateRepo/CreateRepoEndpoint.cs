using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.CreateRepo;

internal static class CreateRepoEndpoint
{
    public static void MapCreateRepo(this IEndpointRouteBuilder api) =>
        api.MapPost("/", HandleAsync)
            .WithName("CreateRepo")
            .WithSummary("Create an empty repo (409 when the name is taken)");

    private static async Task<Results<Created<RepoResponse>, ValidationProblem, ConflictProblem>> HandleAsync(
        CreateRepoRequest request, RepoCreation creation, HttpRequest http, CancellationToken ct)
    {
        if (RepoCreation.Validate(request) is { Count: > 0 } errors)
            return Problems.Invalid(errors);
        if (await creation.CreateAsync(request, ct) is not { } repo)
            return Problems.Conflict("Name taken", $"A repo named '{request.Name}' already exists.");
        return TypedResults.Created($"/api/repos/{repo.Id}", RepoResponse.From(repo, http));
    }
}
