using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace LazyAf.Testing;

/// <summary>Reads API answers the way a client would.</summary>
public static class HttpAssertions
{
    /// <summary>The JSON body; throws with the body when the status is not the one expected.</summary>
    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
            throw new InvalidOperationException($"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>An RFC 7807 problem with the expected status; throws otherwise.</summary>
    public static async Task<JsonElement> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var problem = await response.JsonAsync(expected);
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
            throw new InvalidOperationException($"Expected application/problem+json but got {response.Content.Headers.ContentType}");
        if (problem.GetProperty("status").GetInt32() != (int)expected)
            throw new InvalidOperationException($"Problem status {problem.GetProperty("status")} differs from the HTTP status");
        return problem;
    }

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) =>
        client.PostAsJsonAsync(url, body, LazyAfHost.Json);

    public static Task<HttpResponseMessage> PutJsonAsync(this HttpClient client, string url, object body) =>
        client.PutAsJsonAsync(url, body, LazyAfHost.Json);

    public static Task<HttpResponseMessage> PatchJsonAsync(this HttpClient client, string url, object body) =>
        client.PatchAsJsonAsync(url, body, LazyAfHost.Json);

    public static string Str(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
