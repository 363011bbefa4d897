using System.Text.Json;

namespace LazyAf.Runner.Agents;

/// <summary>
/// Human summaries of tool inputs and outputs for the event stream (the full text stays in the CLI's own log). Adapters
/// pick the telling text whole; <see cref="Shorten"/> cuts it only after its secrets were masked, so a cut never leaves
/// the first part of a secret.
/// </summary>
public static class Summaries
{
    /// <summary>The longest summary kept; longer ones end in an ellipsis.</summary>
    public const int MaxLength = 400;

    /// <summary>The longest assistant text kept in one event.</summary>
    public const int MaxTextLength = 8000;

    // The keys that say most about a call, in the order they are preferred.
    private static readonly string[] Telling = ["command", "file_path", "path", "absolute_path", "pattern", "query", "url", "description", "prompt"];

    /// <summary>The telling part of a tool's input: its command, file path or pattern, else its JSON.</summary>
    public static string Input(JsonElement input)
    {
        if (input.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in Telling)
            {
                if (input.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
                    return value.GetString()!;
            }
        }
        return input.GetRawText();
    }

    /// <summary>A tool result's content: a string, or a list of text blocks.</summary>
    public static string Output(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString()!,
        JsonValueKind.Array => string.Join("\n", content.EnumerateArray()
            .Select(b => b.ValueKind == JsonValueKind.Object && b.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
            .OfType<string>()),
        JsonValueKind.Undefined or JsonValueKind.Null => "",
        _ => content.GetRawText(),
    };

    /// <summary>The event with its text cut to <see cref="MaxTextLength"/> and its summary to <see cref="MaxLength"/>.</summary>
    public static AgentEvent Shorten(AgentEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e with
        {
            Text = e.Text is null ? null : Cut(e.Text, MaxTextLength),
            Summary = e.Summary is null ? null : Cut(e.Summary, MaxLength),
        };
    }

    /// <summary><paramref name="text"/> cut to <paramref name="max"/> characters, with an ellipsis when cut.</summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= max ? text : string.Concat(text.AsSpan(0, max - 1), "…");
    }
}
