using System.Text.Json;
using System.Text.Json.Serialization;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Domain;

namespace LazyAf.Modules.Pipelines.Features;

/// <summary>A parsed pipeline as the API shows it: every step with its effective <c>needs</c> and its routes.</summary>
internal sealed record DefinitionView(
    string Name, string Description, IReadOnlyList<PipelineTrigger> Triggers, IReadOnlyDictionary<string, string> Env, int MaxAttempts, IReadOnlyList<StepView> Steps)
{
    public static DefinitionView From(PipelineDefinition definition) => new(
        definition.Name, definition.Description, definition.Triggers, definition.Env, definition.MaxAttempts,
        [.. definition.Steps.Select(s => new StepView(
            s.Id, s.Name, s.Type, JsonDocument.Parse(s.Config).RootElement, s.TimeoutSeconds, s.Retry, s.Requires, s.ContinueInContext,
            definition.NeedsOf(s), s.OnSuccess.ToString(), s.OnFailure.ToString(), definition.FixSteps.Contains(s.Id)))]);
}

/// <summary>One step; <c>fix_step</c> steps run only through a <c>run:</c> route.</summary>
internal sealed record StepView(
    string Id, string Name, string Type, JsonElement Config, int? TimeoutSeconds, int Retry, IReadOnlyList<string> Requires, bool ContinueInContext,
    IReadOnlyList<string> Needs, string OnSuccess, string OnFailure, bool FixStep);

/// <summary>A validation error: where (1-based line and column) and what.</summary>
internal sealed record ErrorView(int Line, int Column, string Message);

/// <summary>A pipeline's text in a request: <c>yaml</c> (the YAML file's text) or <c>definition</c> (the same document as JSON).</summary>
internal sealed record PipelineBody(string? Yaml = null, JsonElement? Definition = null)
{
    /// <summary>The text to read; JSON is YAML too, so both go through the same reader (line and column then point into the JSON).</summary>
    [JsonIgnore]
    public string? Text => Yaml ?? (Definition is { ValueKind: not JsonValueKind.Undefined and not JsonValueKind.Null } json ? json.GetRawText() : null);
}
