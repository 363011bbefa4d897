using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Reports.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;

namespace LazyAf.Modules.Reports.Features.Artifacts;

/// <summary><c>GET /api/executions/{id}/artifacts</c> (what a step kept) and <c>…/artifacts/{name}</c> (one, streamed, with ranges).</summary>
internal static class ArtifactEndpoints
{
    /// <summary>An artifact of an execution.</summary>
    /// <param name="Name">Its path in the step's workspace (what <c>…/artifacts/{name}</c> takes).</param>
    /// <param name="SizeBytes">Its length.</param>
    /// <param name="Sha256">The SHA-256 of its bytes (also its ETag).</param>
    /// <param name="CreatedAt">When it was kept; the cleaner deletes it after <c>Reports:ArtifactRetention</c>.</param>
    public sealed record ArtifactResponse(string Name, long SizeBytes, string Sha256, DateTimeOffset CreatedAt);

    public static void MapArtifacts(this IEndpointRouteBuilder executions)
    {
        executions.MapGet("/{id}/artifacts", ListAsync)
            .WithName("ListArtifacts").WithSummary("The artifacts a step kept (its `artifacts` globs), by name");
        executions.MapGet("/{id}/artifacts/{**name}", GetAsync)
            .Produces<byte[]>(StatusCodes.Status200OK, "application/octet-stream")
            .Produces<byte[]>(StatusCodes.Status206PartialContent, "application/octet-stream")
            .WithName("GetArtifact").WithSummary("One artifact's bytes, streamed with Content-Length; Range requests answer 206 with the bytes asked for");
    }

    private static async Task<Results<Ok<List<ArtifactResponse>>, NotFoundProblem>> ListAsync(string id, IStepExecutions executions, ArtifactStore store, CancellationToken ct) =>
        await executions.FindAsync(id, ct) is null
            ? Problems.NotFound("execution", id)
            : TypedResults.Ok((await store.OfExecutionAsync(id, ct)).Select(a => new ArtifactResponse(a.Name, a.SizeBytes, a.Sha256, a.CreatedAt)).ToList());

    private static async Task<Results<PhysicalFileHttpResult, NotFoundProblem>> GetAsync(string id, string name, ArtifactStore store, ArtifactBlobs blobs, CancellationToken ct)
    {
        if (await store.FindAsync(id, name, ct) is not { } artifact || !File.Exists(blobs.PathOf(artifact.Sha256)))
            return Problems.NotFound("artifact", $"{id}/{name}");
        return TypedResults.PhysicalFile(blobs.PathOf(artifact.Sha256), "application/octet-stream", Path.GetFileName(name),
            lastModified: artifact.CreatedAt, entityTag: new EntityTagHeaderValue($"\"{artifact.Sha256}\""), enableRangeProcessing: true);
    }
}
