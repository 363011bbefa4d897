using LazyAf.Kernel.Http;
using LazyAf.Modules.Pipelines.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Pipelines.Features.ValidatePipeline;

/// <summary><c>POST /api/pipelines/validate</c>, for editors and <c>lazyaf pipeline validate</c>: the parsed pipeline, or every error with its line and column.</summary>
internal static class ValidatePipelineEndpoint
{
    public static void MapValidatePipeline(this IEndpointRouteBuilder api) =>
        api.MapPost("/pipelines/validate", Handle)
            .WithName("ValidatePipeline")
            .WithSummary("Check a pipeline (yaml or definition) without storing it; 400 with errors [{line, column, message}] when invalid");

    private static Results<Ok<DefinitionView>, BadRequestProblem> Handle(PipelineBody body)
    {
        if (body.Text is not { } text)
            return PipelineProblems.NoText();
        var read = DefinitionReader.Read(text);
        return read.Definition is { } definition ? TypedResults.Ok(DefinitionView.From(definition)) : PipelineProblems.Invalid(read.Errors);
    }
}
