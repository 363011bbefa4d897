using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace LazyAf.Host.Tests.OpenApi;

/// <summary>One HTTP endpoint of the host as its <see cref="EndpointDataSource"/> has it: what the OpenAPI document must describe.</summary>
public sealed record ApiEndpoint(RouteEndpoint Endpoint, string Method)
{
    /// <summary>The path as OpenAPI writes it: <c>/api/repos/{id}/branches/{name}</c> for <c>{**name}</c>.</summary>
    public string Path { get; } = "/" + string.Join('/', Endpoint.RoutePattern.PathSegments.Select(Segment));

    public string? Name => Endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;

    public MethodInfo? Handler => Endpoint.Metadata.GetMetadata<MethodInfo>();

    /// <summary>What the endpoint says it answers: from its handler's result types and its explicit <c>Produces</c>.</summary>
    public IReadOnlyList<IProducesResponseTypeMetadata> Responses => [.. Endpoint.Metadata.OfType<IProducesResponseTypeMetadata>()];

    /// <summary>The JSON body the framework reads into a handler parameter, if any.</summary>
    public Type? JsonBody => Endpoint.Metadata.OfType<IAcceptsMetadata>()
        .Select(a => a.RequestType)
        .FirstOrDefault(t => t is not null && Handler?.GetParameters().Any(p => p.ParameterType == t) == true);

    public bool IsRateLimited => Endpoint.Metadata.Any(m => m.GetType().Name == "EnableRateLimitingAttribute");

    public override string ToString() => $"{Name ?? "(unnamed)"}: {Method} {Path}";

    /// <summary>Every endpoint of the host that answers HTTP methods, also those kept out of the document.</summary>
    public static IReadOnlyList<ApiEndpoint> All(EndpointDataSource source) =>
        [.. source.Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => new ApiEndpoint(e, m)))];

    public bool IsDescribed => Endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true };

    private static string Segment(RoutePatternPathSegment segment) =>
        string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => throw new InvalidOperationException($"unexpected route part {part}"),
        }));
}
