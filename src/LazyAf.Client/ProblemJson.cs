using System.Text.Json.Serialization;

namespace LazyAf.Client;

/// <summary>Source-generated JSON for problem details, in the API's snake_case (no reflection, so clients stay trimmable).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ProblemResponse))]
internal sealed partial class ProblemJson : JsonSerializerContext;
