using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.GitSmartHttp;

/// <summary>
/// The smart-HTTP git server at <c>/git/{id}.git/…</c>. Only repo ids address repos, so a path
/// can never name anything outside the repo store.
/// </summary>
internal static class GitSmartHttpEndpoints
{
    public static RouteGroupBuilder MapGitSmartHttp(this IEndpointRouteBuilder endpoints)
    {
        var git = endpoints.MapGroup("/git").WithTags("Git").ExcludeFromDescription();

        git.MapGet("/{repo}.git/info/refs", async (string repo, string? service, HttpContext http, RepoStore store, GitServiceRun run) =>
        {
            if (await FindAsync(repo, store, http.RequestAborted) is { } missing)
                return missing;
            if (GitService.FromName(service) is not { } known)
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Unsupported git service",
                    detail: "Use ?service=git-upload-pack or ?service=git-receive-pack; the dumb HTTP protocol is not served.",
                    type: Problems.TypeUri("unsupported-service"));
            await run.AdvertiseAsync(http, repo, known);
            return Results.Empty;
        });

        git.MapPost("/{repo}.git/git-upload-pack", (string repo, HttpContext http, RepoStore store, GitServiceRun run) =>
            ServeAsync(repo, GitService.UploadPack, http, store, run));

        git.MapPost("/{repo}.git/git-receive-pack", (string repo, HttpContext http, RepoStore store, GitServiceRun run) =>
            ServeAsync(repo, GitService.ReceivePack, http, store, run));

        git.MapGet("/{repo}.git/HEAD", async (string repo, HttpContext http, RepoStore store, BareRepositories repos) =>
        {
            if (await FindAsync(repo, store, http.RequestAborted) is { } missing)
                return missing;
            var head = await File.ReadAllTextAsync(Path.Combine(repos.PathOf(repo), "HEAD"), http.RequestAborted);
            return Results.Text(head, "text/plain");
        });

        return git;
    }

    private static async Task<IResult> ServeAsync(string repo, GitService service, HttpContext http, RepoStore store, GitServiceRun run)
    {
        if (await FindAsync(repo, store, http.RequestAborted) is { } missing)
            return missing;
        if (!string.Equals(http.Request.ContentType, service.RequestContentType, StringComparison.OrdinalIgnoreCase))
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Wrong content type",
                detail: $"{service.Name} expects Content-Type {service.RequestContentType}.", type: Problems.TypeUri("unsupported-media-type"));
        await run.ServeAsync(http, repo, service);
        return Results.Empty;
    }

    private static async Task<IResult?> FindAsync(string repo, RepoStore store, CancellationToken ct) =>
        Ids.IsValid(repo) && await store.FindAsync(repo, ct) is not null ? null : Problems.NotFound("repo", repo);
}
