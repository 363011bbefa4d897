using LazyAf.Kernel.Http;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Reports.Features.Quarantine;

/// <summary>
/// Quarantined tests of a repo (<c>/api/repos/{id}/quarantine</c>): they still run and are recorded, but their failures
/// no longer fail a step, and the step's tests list them as quarantined. Who quarantined or released which test is audited.
/// </summary>
internal static class QuarantineEndpoints
{
    public const int MaxName = 1000;
    public const int MaxReason = 500;
    private const int AuditLimit = 200;

    public sealed record QuarantineRequest(string? Reason);

    /// <summary>A quarantined test.</summary>
    public sealed record QuarantineResponse(string Test, string? Reason, string QuarantinedBy, DateTimeOffset QuarantinedAt);

    /// <summary>A quarantine or release.</summary>
    public sealed record QuarantineAuditResponse(long Id, string Test, string Action, string? Reason, string Actor, DateTimeOffset At);

    public static void MapQuarantine(this IEndpointRouteBuilder repos)
    {
        repos.MapGet("/{id}/quarantine", async Task<Results<Ok<List<QuarantineResponse>>, NotFoundProblem>> (string id, IRepoCatalog catalog, QuarantineStore store, CancellationToken ct) =>
                await catalog.FindAsync(id, ct) is null
                    ? Problems.NotFound("repo", id)
                    : TypedResults.Ok((await store.ListAsync(id, ct)).Select(From).ToList()))
            .WithName("ListQuarantinedTests").WithSummary("A repo's quarantined tests, with who quarantined them and why");
        repos.MapGet("/{id}/quarantine/audit", async Task<Results<Ok<List<QuarantineAuditResponse>>, NotFoundProblem>> (string id, IRepoCatalog catalog, QuarantineStore store, CancellationToken ct) =>
                await catalog.FindAsync(id, ct) is null
                    ? Problems.NotFound("repo", id)
                    : TypedResults.Ok((await store.AuditAsync(id, AuditLimit, ct)).Select(a => new QuarantineAuditResponse(a.Id, a.Name, a.Action, a.Reason, a.Actor, a.At)).ToList()))
            .WithName("ListQuarantineAudit").WithSummary("Who quarantined or released which test of a repo, newest first");
        repos.MapPut("/{id}/quarantine/{test}", QuarantineAsync)
            .WithName("QuarantineTest").WithSummary("Quarantine a test: it still runs and is recorded, but its failure no longer fails a step");
        repos.MapDelete("/{id}/quarantine/{test}", ReleaseAsync)
            .WithName("ReleaseTest").WithSummary("Release a quarantined test: its failures fail steps again");
    }

    private static async Task<Results<Ok<QuarantineResponse>, ValidationProblem, NotFoundProblem>> QuarantineAsync(
        string id, string test, QuarantineRequest? request, HttpContext http, IRepoCatalog catalog, QuarantineStore store, TimeProvider clock, CancellationToken ct)
    {
        var name = Uri.UnescapeDataString(test);
        if (name.Length > MaxName || name.Any(char.IsControl) || string.IsNullOrWhiteSpace(name))
            return Problems.Invalid("test", $"A test's name is its full name as reports give it: 1 to {MaxName} characters, no control characters.");
        if (request?.Reason is { Length: > MaxReason })
            return Problems.Invalid("reason", $"reason must be at most {MaxReason} characters.");
        if (await catalog.FindAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        return TypedResults.Ok(From(await store.QuarantineAsync(id, name, request?.Reason, Actor.Of(http), clock.GetUtcNow(), ct)));
    }

    private static async Task<Results<NoContent, NotFoundProblem>> ReleaseAsync(
        string id, string test, HttpContext http, IRepoCatalog catalog, QuarantineStore store, TimeProvider clock, CancellationToken ct)
    {
        var name = Uri.UnescapeDataString(test);
        if (await catalog.FindAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        return await store.ReleaseAsync(id, name, Actor.Of(http), clock.GetUtcNow(), ct) ? TypedResults.NoContent() : Problems.NotFound("quarantined test", name);
    }

    private static QuarantineResponse From(QuarantineRow row) => new(row.Name, row.Reason, row.QuarantinedBy, row.QuarantinedAt);
}
