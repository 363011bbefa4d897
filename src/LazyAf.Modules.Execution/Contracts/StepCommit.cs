using System.Text.Json;
using System.Text.Json.Serialization;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>
/// What of its changes a step commits to the branch (<c>commit</c>): <c>true</c> everything, <c>false</c> nothing, or a
/// list of paths and globs relative to the repo root (only changes to those). In JSON it is that value itself.
/// </summary>
[JsonConverter(typeof(StepCommitJson))]
public sealed record StepCommit
{
    private StepCommit(bool enabled, IReadOnlyList<string> paths)
    {
        Enabled = enabled;
        Paths = paths;
    }

    /// <summary><c>commit: true</c>: everything the step changed.</summary>
    public static StepCommit Everything { get; } = new(true, []);

    /// <summary><c>commit: false</c>: nothing.</summary>
    public static StepCommit Nothing { get; } = new(false, []);

    /// <summary><c>commit: [paths]</c>: only changes to <paramref name="paths"/>; an empty list commits nothing.</summary>
    public static StepCommit Only(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Count == 0 ? Nothing : new(true, [.. paths]);
    }

    /// <summary>False when nothing is committed.</summary>
    public bool Enabled { get; }

    /// <summary>The paths or globs; empty when <see cref="Enabled"/> means everything.</summary>
    public IReadOnlyList<string> Paths { get; }

    /// <summary>What a step that does not set <c>commit</c> commits: an agent's work, everything; a script's or container's, nothing.</summary>
    public static StepCommit DefaultFor(StepDefinition step) => step is AgentStep ? Everything : Nothing;
}

/// <summary><c>true</c>, <c>false</c> or a list of strings, both ways.</summary>
internal sealed class StepCommitJson : JsonConverter<StepCommit>
{
    public override StepCommit Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.True => StepCommit.Everything,
        JsonTokenType.False => StepCommit.Nothing,
        JsonTokenType.StartArray => StepCommit.Only(JsonSerializer.Deserialize<string[]>(ref reader, options) ?? []),
        _ => throw new JsonException("commit must be true, false or a list of paths"),
    };

    public override void Write(Utf8JsonWriter writer, StepCommit value, JsonSerializerOptions options)
    {
        if (value.Paths.Count == 0)
        {
            writer.WriteBooleanValue(value.Enabled);
            return;
        }
        writer.WriteStartArray();
        foreach (var path in value.Paths)
            writer.WriteStringValue(path);
        writer.WriteEndArray();
    }
}
