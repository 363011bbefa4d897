using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace LazyAf.Mcp.Tests;

/// <summary>A tool's answer as a model reads it: its text, and whether it is a tool error.</summary>
public sealed record ToolAnswer(string Text, bool IsError)
{
    /// <summary>The text of a successful answer; fails the test with the text of an error.</summary>
    public string Ok()
    {
        Assert.False(IsError, Text);
        return Text;
    }

    /// <summary>The text of a tool error; fails the test when the call succeeded.</summary>
    public string Error()
    {
        Assert.True(IsError, $"expected a tool error, got: {Text}");
        return Text;
    }
}

internal static class ToolCalls
{
    /// <summary>Calls a tool with named arguments and reads its text blocks.</summary>
    public static async Task<ToolAnswer> CallAsync(this McpClient client, string tool, Dictionary<string, object?>? arguments = null, IProgress<ModelContextProtocol.ProgressNotificationValue>? progress = null)
    {
        var result = await client.CallToolAsync(tool, arguments ?? [], progress);
        return new ToolAnswer(string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text)), result.IsError is true);
    }
}
