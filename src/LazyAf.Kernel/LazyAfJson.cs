using System.Text.Json;
using System.Text.Json.Serialization;

namespace LazyAf.Kernel;

/// <summary>LazyAF's one JSON style, for the API, event payloads and stored JSON: snake_case names and enum values.</summary>
public static class LazyAfJson
{
    /// <summary>Shared, read-only options.</summary>
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Applies the style to <paramref name="options"/> (e.g. ASP.NET's own HTTP JSON options).</summary>
    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }
}
