using System.Text.Json.Nodes;

namespace LazyAf.Testing.Models;

/// <summary>One answer of a scripted model: text, tool calls, or both, in order.</summary>
public sealed record ModelTurn(IReadOnlyList<ModelBlock> Blocks)
{
    /// <summary>Tokens the answer reports as input and output (the CLI turns them into usage and cost).</summary>
    public (int Input, int Output) Usage { get; init; } = (120, 30);

    /// <summary>An answer that only says <paramref name="text"/> and ends the turn.</summary>
    public static ModelTurn Say(string text) => new([new TextBlock(text)]);

    /// <summary>An answer that calls one tool (<c>Write</c>, <c>Bash</c>, … for Claude; <c>write_file</c>, <c>run_shell_command</c> for Gemini).</summary>
    public static ModelTurn Call(string tool, object input) => new([new ToolBlock(tool, JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(input))!.AsObject())]);
}

/// <summary>A part of a scripted answer.</summary>
public abstract record ModelBlock;

/// <summary>Assistant text.</summary>
public sealed record TextBlock(string Text) : ModelBlock;

/// <summary>A tool call with its input.</summary>
public sealed record ToolBlock(string Tool, JsonObject Input) : ModelBlock;
