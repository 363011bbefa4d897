using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Definitions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LazyAf.Modules.Pipelines.Features;

/// <summary>The 400 of an invalid pipeline: an RFC 7807 problem with <c>errors: [{line, column, message}]</c>.</summary>
internal static class PipelineProblems
{
    public static ProblemHttpResult Invalid(IReadOnlyList<DefinitionError> errors) =>
        TypedResults.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: "The pipeline is invalid",
            detail: string.Join("; ", errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}")),
            type: Problems.TypeUri("invalid-pipeline"),
            extensions: new Dictionary<string, object?> { ["errors"] = errors.Select(e => new ErrorView(e.Line, e.Column, e.Message)).ToList() });

    public static ProblemHttpResult NoText() =>
        Invalid([new DefinitionError(1, 1, "send the pipeline as yaml (its YAML text) or as definition (the same document as JSON)")]);
}
