using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Testing;

/// <summary>
/// Watches every answer of a test host: an endpoint that answers a status its OpenAPI operation does not declare
/// (a 409 nobody put in its result union) is recorded, and the host fails the test when it stops. So every
/// module's tests, which drive the real error paths, keep the document true to what the endpoints do.
/// </summary>
internal sealed class DeclaredStatuses : IStartupFilter
{
    private readonly ConcurrentDictionary<string, byte> _undeclared = new(StringComparer.Ordinal);

    /// <summary>"GetRepo: GET /api/repos/{id} answered 500" for each status an endpoint answered without declaring it.</summary>
    public IReadOnlyList<string> Undeclared => [.. _undeclared.Keys.Order(StringComparer.Ordinal)];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            await following(context);
            Check(context);
        });
        next(app);
    };

    private void Check(HttpContext context)
    {
        // Only the documented API: the git server and the document itself are not in it; a 500 is a failure of its own.
        if (context.GetEndpoint() is not RouteEndpoint endpoint || endpoint.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is { ExcludeFromDescription: true }
            || endpoint.Metadata.GetMetadata<IHttpMethodMetadata>() is null || context.Response.StatusCode == StatusCodes.Status500InternalServerError
            || context.RequestAborted.IsCancellationRequested)
            return;
        var status = context.Response.StatusCode;
        if (endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().All(m => m.StatusCode != status))
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName ?? "(unnamed)";
            _undeclared.TryAdd($"{name}: {context.Request.Method} {endpoint.RoutePattern.RawText} answered {status}, which it does not declare", 0);
        }
    }
}
