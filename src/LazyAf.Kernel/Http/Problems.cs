using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LazyAf.Kernel.Http;

/// <summary>RFC 7807 problem details for the answers every module gives the same way.</summary>
public static class Problems
{
    /// <summary>404: no <paramref name="what"/> with this id.</summary>
    public static ProblemHttpResult NotFound(string what, string id) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status404NotFound,
            title: $"{Capitalize(what)} not found",
            detail: $"There is no {what} '{id}'.",
            type: TypeUri("not-found"));

    /// <summary>409: the request clashes with the current state; <paramref name="extensions"/> say what the state is.</summary>
    public static ProblemHttpResult Conflict(string title, string detail, IDictionary<string, object?>? extensions = null) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: title,
            detail: detail,
            type: TypeUri("conflict"),
            extensions: extensions);

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

    /// <summary>A stable type URI per kind of problem, so clients can switch on it.</summary>
    public static string TypeUri(string kind) => $"urn:lazyaf:problem:{kind}";

    private static string Capitalize(string what) => string.Concat(what[..1].ToUpperInvariant(), what[1..]);
}
