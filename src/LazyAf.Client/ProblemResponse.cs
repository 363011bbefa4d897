using System.Text.Json;

namespace LazyAf.Client;

/// <summary>
/// An RFC 7807 problem as LazyAF sends it for 4xx/5xx answers: the parts that make the one line the
/// user or a model sees (type, status and most extensions are left out: the client reports the status itself).
/// </summary>
/// <param name="Title">What kind of problem (<c>Transition not allowed</c>).</param>
/// <param name="Detail">What happened this time.</param>
/// <param name="Errors">A 400's messages per field (<c>title</c>, <c>step_config.command</c>).</param>
/// <param name="ConflictingPaths">A merge conflict's files (approving a card).</param>
public sealed record ProblemResponse(string? Title, string? Detail, Dictionary<string, string[]>? Errors, List<string>? ConflictingPaths)
{
    /// <summary>The problem as one sentence: the conflicting files, else title and detail, where the detail of a 400 names every field.</summary>
    public string Describe()
    {
        if (ConflictingPaths is { Count: > 0 } paths)
            return $"merge conflict in {paths.Count} file(s): {string.Join(", ", paths)}";
        var detail = Errors is { Count: > 0 } ? FieldErrors(Errors) : Detail;
        if (string.IsNullOrWhiteSpace(Title))
            return detail ?? "";
        return string.IsNullOrWhiteSpace(detail) ? Title : $"{Title}: {detail}";
    }

    /// <summary>Every field's messages, each led by the field's name unless it already says it.</summary>
    private static string FieldErrors(Dictionary<string, string[]> errors) =>
        string.Join(" ", errors.SelectMany(field => field.Value.Select(message =>
            message.Contains(field.Key, StringComparison.Ordinal) ? message : $"{field.Key}: {message}")));

    /// <summary>The problem in <paramref name="content"/>, or null when the body is not one (an empty 500, a proxy's HTML page).</summary>
    public static async Task<ProblemResponse?> TryReadAsync(HttpContent content, CancellationToken ct) =>
        TryParse(await content.ReadAsStringAsync(ct));

    /// <summary>The problem in a response body already read, or null when it is not one.</summary>
    public static ProblemResponse? TryParse(string body)
    {
        try
        {
            var problem = JsonSerializer.Deserialize(body, ProblemJson.Default.ProblemResponse);
            return problem is { Title.Length: > 0 } or { Detail.Length: > 0 } or { Errors.Count: > 0 } ? problem : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
