using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Kernel.Http;

/// <summary>
/// The problems the framework answers before a handler runs: 400 for a body that is not JSON of the right shape or a
/// route, query or header value that does not parse, 415 for a body that is not JSON at all, 507 for a write while the
/// data directory's disk is full. Declared on each
/// endpoint that can get them, so its OpenAPI operation lists them beside the handler's own.
/// </summary>
public static class RequestProblems
{
    /// <summary>Declares the request problems of every endpoint mapped on <paramref name="builder"/>.</summary>
    public static TBuilder DeclareRequestProblems<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder
    {
        // Finally: the handler's own metadata (its body, its result union) is complete by then.
        builder.Finally(endpoint =>
        {
            var declared = endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Select(m => m.StatusCode).ToHashSet();
            var parameters = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault()?.GetParameters().Select(p => p.ParameterType).ToList() ?? [];
            // A body the framework reads into a parameter; one a handler reads itself (declared with Accepts) it answers for itself.
            var readsJson = endpoint.Metadata.OfType<IAcceptsMetadata>().Any(a => a.RequestType is { } body && parameters.Contains(body));
            var parses = parameters.Any(IsParsed);
            if ((readsJson || parses) && !declared.Contains(StatusCodes.Status400BadRequest))
                Declare(endpoint, StatusCodes.Status400BadRequest);
            if (readsJson && !declared.Contains(StatusCodes.Status415UnsupportedMediaType))
                Declare(endpoint, StatusCodes.Status415UnsupportedMediaType);
            // A write while the data directory's disk is full (Storage.DiskFullGuard).
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [];
            if (methods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m)) && !declared.Contains(StatusCodes.Status507InsufficientStorage))
                Declare(endpoint, StatusCodes.Status507InsufficientStorage);
        });
        return builder;
    }

    // What minimal APIs bind from text by parsing: a malformed value is a 400 (strings and services never are).
    private static bool IsParsed(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying != typeof(string) && (underlying.IsEnum || underlying.GetMethods(BindingFlags.Public | BindingFlags.Static).Any(m => m.Name == "TryParse"));
    }

    /// <summary>Declares that <paramref name="endpoint"/> can answer <paramref name="status"/> with a problem, unless it already says so.</summary>
    public static void DeclareProblem(this EndpointBuilder endpoint, int status)
    {
        if (endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().All(m => m.StatusCode != status))
            Declare(endpoint, status);
    }

    private static void Declare(EndpointBuilder endpoint, int status) =>
        endpoint.Metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), [StatusProblem.ContentType]));
}
