using System.Text.Json;
using LazyAf.Modules.Triggers.Domain;
using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Triggers.Features.Webhooks;

/// <summary>What a verified delivery asks for, read per provider.</summary>
internal abstract record WebhookDelivery
{
    /// <summary>Run the pipeline on <paramref name="Branch"/> (at <paramref name="Commit"/>, else the branch's head).</summary>
    public sealed record Push(string Branch, string? Commit, IReadOnlyDictionary<string, string> Params, bool Force) : WebhookDelivery;

    /// <summary>A delivery that runs nothing: a ping, another event, a deleted branch, a tag.</summary>
    public sealed record Ignored(string Reason) : WebhookDelivery;

    /// <summary>The body is not what the provider sends.</summary>
    public sealed record Invalid(string Message) : WebhookDelivery;

    private const string HeadsPrefix = "refs/heads/";
    private const string ZeroSha = "0000000000000000000000000000000000000000";

    public static WebhookDelivery Read(string provider, IHeaderDictionary headers, ReadOnlyMemory<byte> body)
    {
        if (provider == Webhook.GitHub && headers["X-GitHub-Event"].ToString() is var gitHubEvent && gitHubEvent != "push")
            return new Ignored(gitHubEvent == "ping" ? "pong" : $"GitHub event '{gitHubEvent}' runs nothing; only push does");
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind != JsonValueKind.Object)
                return new Invalid("The body must be a JSON object.");
            return provider switch
            {
                Webhook.GitHub => FromRef(json.RootElement, "after"),
                Webhook.GitLab => Text(json.RootElement, "object_kind") is "push"
                    ? FromRef(json.RootElement, "checkout_sha")
                    : new Ignored($"GitLab event '{Text(json.RootElement, "object_kind")}' runs nothing; only push does"),
                _ => Generic(json.RootElement),
            };
        }
        catch (JsonException ex)
        {
            return new Invalid($"The body is not valid JSON: {ex.Message}");
        }
        catch (InvalidOperationException ex)
        {
            return new Invalid(ex.Message);
        }
    }

    private static WebhookDelivery FromRef(JsonElement root, string shaField)
    {
        if (Text(root, "ref") is not { } gitRef)
            return new Invalid("A push payload has a 'ref'.");
        if (!gitRef.StartsWith(HeadsPrefix, StringComparison.Ordinal))
            return new Ignored($"{gitRef} is not a branch");
        var sha = Text(root, shaField);
        if (sha is null or ZeroSha)
            return new Ignored($"{gitRef} was deleted");
        return new Push(gitRef[HeadsPrefix.Length..], sha, new Dictionary<string, string>(), Force: false);
    }

    private static WebhookDelivery Generic(JsonElement root)
    {
        if (Text(root, "branch") is not { } branch)
            return new Invalid("A generic delivery is {\"branch\": …, \"commit\"?: …, \"params\"?: {…}, \"force\"?: true}; 'branch' is missing.");
        var parameters = new Dictionary<string, string>();
        if (root.TryGetProperty("params", out var given) && given.ValueKind != JsonValueKind.Null)
        {
            if (given.ValueKind != JsonValueKind.Object)
                return new Invalid("'params' must be an object of strings.");
            foreach (var param in given.EnumerateObject())
                parameters[param.Name] = param.Value.ValueKind == JsonValueKind.String ? param.Value.GetString()! : param.Value.GetRawText();
        }
        var force = root.TryGetProperty("force", out var forced) && forced.ValueKind == JsonValueKind.True;
        return new Push(branch, Text(root, "commit"), parameters, force);
    }

    /// <summary>A string property, null when absent or null; throws (→ 400) when it is some other type.</summary>
    private static string? Text(JsonElement root, string name) =>
        !root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new InvalidOperationException($"'{name}' must be a string.");
}
