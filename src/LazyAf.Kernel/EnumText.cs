using System.Text.Json;

namespace LazyAf.Kernel;

/// <summary>Enum values as LazyAF stores and shows them everywhere: snake_case (<c>in_review</c>, <c>timed_out</c>).</summary>
public static class EnumText
{
    /// <summary>The stored and shown text of <paramref name="value"/>.</summary>
    public static string Of<TEnum>(TEnum value) where TEnum : struct, Enum => Names<TEnum>.Text[value];

    /// <summary>The value stored as <paramref name="text"/>; throws for text no value has (a corrupt row).</summary>
    public static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        TryParse(text, out TEnum value) ? value : throw new InvalidOperationException($"'{text}' is not a {typeof(TEnum).Name}.");

    /// <summary>The value a client named, if any.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value) where TEnum : struct, Enum =>
        Names<TEnum>.Values.TryGetValue(text ?? "", out value);

    private static class Names<TEnum> where TEnum : struct, Enum
    {
        public static readonly Dictionary<TEnum, string> Text =
            Enum.GetValues<TEnum>().ToDictionary(v => v, v => JsonNamingPolicy.SnakeCaseLower.ConvertName(v.ToString()));

        public static readonly Dictionary<string, TEnum> Values = Text.ToDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);
    }
}
