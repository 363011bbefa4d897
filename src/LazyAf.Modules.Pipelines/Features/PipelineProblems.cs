using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Domain;

namespace LazyAf.Modules.Pipelines.Features;

/// <summary>The 400 of an invalid pipeline: an RFC 7807 problem with <c>errors: [{line, column, message}]</c>.</summary>
internal static class PipelineProblems
{
    public static BadRequestProblem Invalid(IReadOnlyList<DefinitionError> errors) =>
        Problems.BadRequest(
            "The pipeline is invalid",
            string.Join("; ", errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}")),
            "invalid-pipeline",
            new Dictionary<string, object?> { ["errors"] = errors.Select(e => new ErrorView(e.Line, e.Column, e.Message)).ToList() });

    public static BadRequestProblem NoText() =>
        Invalid([new DefinitionError(1, 1, "send the pipeline as yaml (its YAML text) or as definition (the same document as JSON)")]);
}
