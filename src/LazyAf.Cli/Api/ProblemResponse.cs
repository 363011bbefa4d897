using System.Net.Http.Json;
using System.Text.Json;

namespace LazyAf.Cli.Api;

/// <summary>
/// An RFC 7807 problem as LazyAF sends it for 4xx/5xx answers: the parts that make the one line the
/// user sees (type, status and extensions are left out; the exit code already says it failed).
/// </summary>
internal sealed record ProblemResponse(string? Title, string? Detail, Dictionary<string, string[]>? Errors)
{
    /// <summary>The problem as one sentence: title and detail, or the field errors when there is no detail.</summary>
    public string Describe()
    {
        var detail = string.IsNullOrWhiteSpace(Detail) && Errors is { Count: > 0 }
            ? string.Join(" ", Errors.SelectMany(e => e.Value))
            : Detail;
        if (string.IsNullOrWhiteSpace(Title))
            return detail ?? "";
        return string.IsNullOrWhiteSpace(detail) ? Title : $"{Title}: {detail}";
    }

    /// <summary>The problem in <paramref name="content"/>, or null when the body is not one (an empty 500, a proxy's HTML page).</summary>
    public static async Task<ProblemResponse?> TryReadAsync(HttpContent content, CancellationToken ct)
    {
        try
        {
            var problem = await content.ReadFromJsonAsync(ApiJson.Default.ProblemResponse, ct);
            return problem is { Title.Length: > 0 } or { Detail.Length: > 0 } or { Errors.Count: > 0 } ? problem : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
