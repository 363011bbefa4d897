using LazyAf.Kernel.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace LazyAf.Kernel.Events;

/// <summary>
/// <c>/api/admin/dead-letters</c>: the events the bus gave up on, with why; an admin retries one (its handlers that
/// have not succeeded run again) or discards it. The host maps the group under the admin scope.
/// </summary>
public static class DeadLetterEndpoints
{
    /// <summary>The most dead letters one answer lists.</summary>
    public const int MaxLimit = 1000;

    /// <summary>One handler's latest failure on a dead letter.</summary>
    public sealed record HandlerFailureResponse(string Handler, long Attempts, string Error, DateTimeOffset FailedAt);

    /// <summary>
    /// An event held back: <paramref name="Reason"/> says why; <paramref name="Failures"/> which handlers failed,
    /// <paramref name="DeliveredTo"/> which succeeded (they do not run again on retry). <paramref name="Payload"/> is the
    /// stored text, which may not be JSON (that may be why it is here).
    /// </summary>
    public sealed record DeadLetterResponse(
        long Id, string EventType, IReadOnlyList<string> Topics, DateTimeOffset OccurredAt, DateTimeOffset DeadAt, long Attempts,
        string Reason, IReadOnlyList<HandlerFailureResponse> Failures, IReadOnlyList<string> DeliveredTo, string Payload)
    {
        internal static DeadLetterResponse From(DeadLetters.DeadLetter letter) => new(
            letter.Row.Id, letter.Row.EventType, letter.Row.Topics.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            letter.Row.OccurredAt, letter.Row.DeadAt, letter.Row.Attempts, letter.Row.Reason ?? "",
            letter.Failures.Select(f => new HandlerFailureResponse(f.Handler, f.Attempts, f.Error, f.FailedAt)).ToList(),
            letter.DeliveredTo, letter.Row.Payload);
    }

    /// <summary>Maps list, show, retry and discard; returns the group so the host can require the admin scope.</summary>
    public static RouteGroupBuilder MapDeadLetters(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/admin/dead-letters").WithTags("Admin");
        group.MapGet("", ListAsync)
            .WithName("ListDeadLetters").WithSummary("Events the bus gave up on (unreadable, or handlers still failing after every retry), oldest first");
        group.MapGet("/{id:long}", ShowAsync)
            .WithName("GetDeadLetter").WithSummary("One dead letter with each failing handler's reason");
        group.MapPost("/{id:long}/retry", RetryAsync)
            .WithName("RetryDeadLetter").WithSummary("Deliver a dead letter again, with fresh attempts, to the handlers that have not yet succeeded");
        group.MapDelete("/{id:long}", DiscardAsync)
            .WithName("DiscardDeadLetter").WithSummary("Give a dead letter up: it is never delivered");
        return group;
    }

    private static async Task<Results<Ok<List<DeadLetterResponse>>, ValidationProblem>> ListAsync(int? limit, DeadLetters letters, CancellationToken ct)
    {
        if (limit is < 1 or > MaxLimit)
            return Problems.Invalid("limit", $"limit must be 1 to {MaxLimit}.");
        var found = await letters.ListAsync(null, limit ?? 100, ct);
        return TypedResults.Ok(found.Select(DeadLetterResponse.From).ToList());
    }

    private static async Task<Results<Ok<DeadLetterResponse>, NotFoundProblem>> ShowAsync(long id, DeadLetters letters, CancellationToken ct) =>
        (await letters.ListAsync(id, 1, ct)) is [var letter]
            ? TypedResults.Ok(DeadLetterResponse.From(letter))
            : NotFound(id);

    private static async Task<Results<NoContent, NotFoundProblem>> RetryAsync(long id, HttpContext http, DeadLetters letters, ILoggerFactory logs, CancellationToken ct)
    {
        if (!await letters.RetryAsync(id, ct))
            return NotFound(id);
        Logger(logs).LogWarning("Dead letter {EventId} retried by {Actor}", id, Actor.Of(http));
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DiscardAsync(long id, HttpContext http, DeadLetters letters, ILoggerFactory logs, CancellationToken ct)
    {
        if (!await letters.DiscardAsync(id, ct))
            return NotFound(id);
        Logger(logs).LogWarning("Dead letter {EventId} discarded by {Actor}", id, Actor.Of(http));
        return TypedResults.NoContent();
    }

    private static NotFoundProblem NotFound(long id) => Problems.NotFound("dead letter", id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    private static ILogger Logger(ILoggerFactory logs) => logs.CreateLogger(typeof(DeadLetterEndpoints).FullName!);
}
