using System.ComponentModel.DataAnnotations;

namespace LazyAf.Mcp;

/// <summary>How the MCP tools answer (<c>Mcp:*</c> in the host; <c>lazyaf mcp --max-result-chars</c> for stdio).</summary>
public sealed class McpSettings
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Mcp";

    /// <summary>The smallest cap: enough for a failure summary and the note that says how a result was cut.</summary>
    public const int MinResultChars = 2_000;

    /// <summary>
    /// The most characters one text result may have (<c>Mcp:MaxResultChars</c>, default 50,000); a longer one is cut and
    /// says so, since a model's context is small and whole logs flood it.
    /// </summary>
    [Range(MinResultChars, 10_000_000, ErrorMessage = "must be 2000 to 10000000 (characters)")]
    public int MaxResultChars { get; set; } = 50_000;
}
