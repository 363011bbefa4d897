using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Pipelines;

/// <summary>Pipelines: definitions (DB and <c>.lazyaf/pipelines/*.yml</c>), runs as step executions, the fix loop.</summary>
public static class PipelinesModule
{
    /// <summary>Registers the module's services, schema and event handlers.</summary>
    public static IServiceCollection AddPipelines(this IServiceCollection services) => services;

    /// <summary>Maps the pipeline and pipeline-run endpoints under <c>/api</c>; returns the group.</summary>
    public static RouteGroupBuilder MapPipelines(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("/api").WithTags("Pipelines");
}
