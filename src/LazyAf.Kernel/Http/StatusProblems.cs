using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace LazyAf.Kernel.Http;

/// <summary>
/// An RFC 7807 problem whose status is part of its type. A handler that returns
/// <c>Results&lt;Ok&lt;T&gt;, NotFoundProblem, ConflictProblem&gt;</c> thereby declares its 404 and 409 to OpenAPI;
/// a plain <see cref="ProblemHttpResult"/> would hide them. Made by <see cref="Problems"/>.
/// </summary>
public abstract class StatusProblem : IResult, IStatusCodeHttpResult, IValueHttpResult<ProblemDetails>
{
    /// <summary>The content type every problem is written with.</summary>
    public const string ContentType = "application/problem+json";

    private readonly ProblemHttpResult _problem;

    private protected StatusProblem(int status, string title, string detail, string kind, IDictionary<string, object?>? extensions) =>
        _problem = TypedResults.Problem(statusCode: status, title: title, detail: detail, type: Problems.TypeUri(kind), extensions: extensions);

    /// <summary>What is written.</summary>
    public ProblemDetails ProblemDetails => _problem.ProblemDetails;

    /// <inheritdoc />
    public int? StatusCode => _problem.StatusCode;

    ProblemDetails? IValueHttpResult<ProblemDetails>.Value => _problem.ProblemDetails;

    /// <inheritdoc />
    public Task ExecuteAsync(HttpContext httpContext) => _problem.ExecuteAsync(httpContext);

    private protected static void Declare(EndpointBuilder builder, int status) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [ContentType]));
}

/// <summary>400 for a request that is wrong as a whole (field errors are a <see cref="ValidationProblem"/>).</summary>
public sealed class BadRequestProblem : StatusProblem, IEndpointMetadataProvider
{
    internal BadRequestProblem(string title, string detail, string kind, IDictionary<string, object?>? extensions)
        : base(StatusCodes.Status400BadRequest, title, detail, kind, extensions)
    {
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status400BadRequest);
}

/// <summary>401: the request is not proven to come from who may make it.</summary>
public sealed class UnauthorizedProblem : StatusProblem, IEndpointMetadataProvider
{
    internal UnauthorizedProblem(string title, string detail, string kind)
        : base(StatusCodes.Status401Unauthorized, title, detail, kind, null)
    {
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status401Unauthorized);
}

/// <summary>404: what the request names does not exist.</summary>
public sealed class NotFoundProblem : StatusProblem, IEndpointMetadataProvider
{
    internal NotFoundProblem(string title, string detail, string kind)
        : base(StatusCodes.Status404NotFound, title, detail, kind, null)
    {
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status404NotFound);
}

/// <summary>409: the request clashes with the current state.</summary>
public sealed class ConflictProblem : StatusProblem, IEndpointMetadataProvider
{
    internal ConflictProblem(string title, string detail, string kind, IDictionary<string, object?>? extensions)
        : base(StatusCodes.Status409Conflict, title, detail, kind, extensions)
    {
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status409Conflict);
}

/// <summary>413: the body is larger than the endpoint takes.</summary>
public sealed class PayloadTooLargeProblem : StatusProblem, IEndpointMetadataProvider
{
    internal PayloadTooLargeProblem(string title, string detail, string kind)
        : base(StatusCodes.Status413PayloadTooLarge, title, detail, kind, null)
    {
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status413PayloadTooLarge);
}

/// <summary>422: the request is well-formed but names something that cannot be acted on.</summary>
public sealed class UnprocessableProblem : StatusProblem, IEndpointMetadataProvider
{
    internal UnprocessableProblem(string title, string detail, string kind)
        : base(StatusCodes.Status422UnprocessableEntity, title, detail, kind, null)
    {
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) => Declare(builder, StatusCodes.Status422UnprocessableEntity);
}
