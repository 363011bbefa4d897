using LazyAf.Modules.Repos.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.ListRepos;

internal static class ListReposEndpoint
{
    public static void MapListRepos(this IEndpointRouteBuilder api) =>
        api.MapGet("/", async Task<Ok<List<RepoResponse>>> (RepoStore store, HttpRequest http, CancellationToken ct) =>
                TypedResults.Ok((await store.ListAsync(ct)).Select(r => RepoResponse.From(r, http)).ToList()))
            .WithName("ListRepos")
            .WithSummary("All repos, by name");
}
