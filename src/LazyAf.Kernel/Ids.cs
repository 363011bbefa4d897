using System.Buffers;

namespace LazyAf.Kernel;

/// <summary>Identifiers for LazyAF records: 32 lower-case hex characters, time-ordered (UUID v7).</summary>
public static class Ids
{
    private static readonly SearchValues<char> HexDigits = SearchValues.Create("0123456789abcdef");

    /// <summary>A new, time-ordered identifier.</summary>
    public static string New() => Guid.CreateVersion7().ToString("N");

    /// <summary>True when <paramref name="value"/> has the shape of an id; anything else is refused before it reaches SQL or the file system.</summary>
    public static bool IsValid(string? value) =>
        value is { Length: 32 } && !value.AsSpan().ContainsAnyExcept(HexDigits);

    /// <summary>The last eight characters: the random part of the id, short enough for branch names.</summary>
    public static string ShortForm(string id) => id[^8..];
}
