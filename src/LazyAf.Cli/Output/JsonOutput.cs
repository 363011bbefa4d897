using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace LazyAf.Cli.Output;

/// <summary>
/// <c>--json</c>: a listing or a show printed as one JSON document (snake_case, as the API names the fields) instead of
/// text for people, so scripts read what the CLI read.
/// </summary>
internal static class JsonOutput
{
    public static Option<bool> CreateOption() => new("--json") { Description = "Print JSON (the API's field names) instead of text" };

    public static async Task WriteAsync<T>(TextWriter output, T value, JsonTypeInfo<T> type) =>
        await output.WriteLineAsync(JsonSerializer.Serialize(value, type));
}
