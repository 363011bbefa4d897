using System.Text;

namespace LazyAf.Mcp.Failures;

/// <summary>
/// Text with a budget: lines are added while they fit and the rest is left out, so a failure summary stays small
/// enough for a model however many tests failed or however long their messages are.
/// </summary>
internal sealed class SummaryText(int budget)
{
    private readonly StringBuilder _text = new();

    public bool Full { get; private set; }

    /// <summary>Room left, in characters.</summary>
    public int Left => budget - _text.Length;

    /// <summary>Adds the line when it fits (cut to <paramref name="maxChars"/> first); false when the budget is spent.</summary>
    public bool Line(string line, int maxChars = 300)
    {
        var flat = OneLine(line, maxChars);
        if (Full || flat.Length + 1 > Left)
        {
            Full = true;
            return false;
        }
        _text.Append(flat).Append('\n');
        return true;
    }

    /// <summary>Whitespace (newlines too) collapsed to single spaces, cut to <paramref name="maxChars"/> with an ellipsis.</summary>
    public static string OneLine(string text, int maxChars)
    {
        var flat = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return flat.Length <= maxChars ? flat : string.Concat(flat.AsSpan(0, maxChars - 1), "…");
    }

    public override string ToString() => _text.ToString();
}
