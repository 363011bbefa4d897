using LazyAf.Kernel.Http;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Access.Features.Audit;

/// <summary><c>GET /api/audit?before=ID&amp;limit=N</c> (admin): the audit log, newest first.</summary>
internal static class AuditEndpoint
{
    public const int MaxLimit = 1000;

    public sealed record AuditEntryResponse(long Id, DateTimeOffset At, string Actor, string Action, string Method, string Path, int Status, string? Remote);

    public static void MapAudit(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGet("/api/audit", ListAsync)
            .RequireScope(Scopes.Admin)
            .WithName("ListAudit")
            .WithSummary("Who changed what, when and from where (newest first; page with ?before=<id>)");

    private static async Task<Results<Ok<List<AuditEntryResponse>>, ValidationProblem>> ListAsync(long? before, int? limit, AuditStore audit, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be 1 to {MaxLimit}.");
        var entries = await audit.ListAsync(before ?? long.MaxValue, limit ?? 100, ct);
        return TypedResults.Ok(entries.Select(e => new AuditEntryResponse(e.Id, e.At, e.Actor, e.Action, e.Method, e.Path, (int)e.Status, e.Remote)).ToList());
    }
}
