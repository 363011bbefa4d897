using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LazyAf.Kernel.Http;

/// <summary>
/// RFC 7807 problem details for the answers every module gives the same way. Each has its status in its type
/// (<see cref="StatusProblem"/>), so the handler's result union declares it to OpenAPI.
/// </summary>
public static class Problems
{
    /// <summary>404: no <paramref name="what"/> with this id.</summary>
    public static NotFoundProblem NotFound(string what, string id) =>
        new($"{Capitalize(what)} not found", $"There is no {what} '{id}'.", "not-found");

    /// <summary>409: the request clashes with the current state; <paramref name="extensions"/> say what the state is.</summary>
    public static ConflictProblem Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        new(title, detail, "conflict", extensions);

    /// <summary>400: one field is wrong.</summary>
    public static ValidationProblem Invalid(string field, string message) =>
        TypedResults.ValidationProblem(
            new Dictionary<string, string[]> { [field] = [message] },
            detail: message,
            title: "The request is invalid",
            type: TypeUri("invalid"));

    /// <summary>400: several fields are wrong.</summary>
    public static ValidationProblem Invalid(IDictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(
            errors,
            detail: string.Join(" ", errors.SelectMany(e => e.Value)),
            title: "The request is invalid",
            type: TypeUri("invalid"));

    /// <summary>400: the request is wrong as a whole; <paramref name="kind"/> names the problem type.</summary>
    public static BadRequestProblem BadRequest(string title, string detail, string kind, IDictionary<string, object?>? extensions = null) =>
        new(title, detail, kind, extensions);

    /// <summary>401: the request is not proven to come from who may make it.</summary>
    public static UnauthorizedProblem Unauthorized(string title, string detail, string kind) => new(title, detail, kind);

    /// <summary>413: the body is too large.</summary>
    public static PayloadTooLargeProblem PayloadTooLarge(string title, string detail, string kind) => new(title, detail, kind);

    /// <summary>422: the request is well-formed but cannot be acted on.</summary>
    public static UnprocessableProblem Unprocessable(string title, string detail, string kind) => new(title, detail, kind);

    /// <summary>A stable type URI per kind of problem, so clients can switch on it.</summary>
    public static string TypeUri(string kind) => $"urn:lazyaf:problem:{kind}";

    private static string Capitalize(string what) => string.Concat(what[..1].ToUpperInvariant(), what[1..]);
}
