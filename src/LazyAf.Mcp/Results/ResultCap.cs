using System.Globalization;
using Microsoft.Extensions.Options;

namespace LazyAf.Mcp.Results;

/// <summary>
/// Cuts a text result to <see cref="McpSettings.MaxResultChars"/>, note included, and says where and how it was cut and
/// how to ask for less. Logs keep their end (the failure is usually last); everything else keeps its start.
/// </summary>
internal sealed class ResultCap(IOptions<McpSettings> settings)
{
    public int MaxChars => settings.Value.MaxResultChars;

    /// <summary>The text, or its first part with a note after it.</summary>
    public string Head(string text, string hint)
    {
        if (text.Length <= MaxChars)
            return text;
        var note = Note(text.Length, "first", hint);
        return string.Concat(text.AsSpan(0, Math.Max(0, MaxChars - note.Length)), note);
    }

    /// <summary>The text, or its last part with a note before it.</summary>
    public string Tail(string text, string hint)
    {
        if (text.Length <= MaxChars)
            return text;
        var note = Note(text.Length, "last", hint);
        var keep = Math.Max(0, MaxChars - note.Length);
        return string.Concat(note, text.AsSpan(text.Length - keep));
    }

    private string Note(int length, string part, string hint) => string.Create(CultureInfo.InvariantCulture,
        $"\n[LazyAF cut this result: it shows the {part} part of {length:N0} characters, up to {McpSettings.Section}:MaxResultChars = {MaxChars:N0} with this note; {hint}]\n");
}
