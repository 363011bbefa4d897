using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace LazyAf.Host;

/// <summary><c>/openapi/v1.json</c>: the document the board's, the CLI's and other clients' types are generated from.</summary>
internal static class ApiDocument
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        var names = new SchemaNames();
        return services.AddOpenApi(options =>
        {
            options.CreateSchemaReferenceId = names.Of;
            options.AddOperationTransformer((operation, context, ct) => EachTypeOfAStatusAsync(operation, context, names, ct));
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "LazyAF";
                document.Info.Description = "Repos, cards, pipelines, triggers, executions and workspaces of a LazyAF host. Errors are RFC 7807 problem details.";
                return Task.CompletedTask;
            });
        });
    }

    /// <summary>
    /// ApiExplorer keeps one type per status, so an endpoint that answers 200 with one of two bodies would show only
    /// one; the response then says it is one of them.
    /// </summary>
    private static async Task EachTypeOfAStatusAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, SchemaNames names, CancellationToken ct)
    {
        var json = context.ApplicationServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var shared = context.Description.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(m => m.Type is not null && m.Type != typeof(void))
            .GroupBy(m => m.StatusCode, m => m.Type!)
            .Where(types => types.Distinct().Count() > 1);
        foreach (var types in shared)
        {
            if (operation.Responses?.GetValueOrDefault(types.Key.ToString(CultureInfo.InvariantCulture)) is not OpenApiResponse { Content: { } content })
                continue;
            var oneOf = new List<IOpenApiSchema>();
            foreach (var type in types.Distinct())
            {
                var schema = await context.GetOrCreateSchemaAsync(type, cancellationToken: ct);
                if (names.Of(json.GetTypeInfo(type)) is { } name && context.Document is { } document)
                {
                    document.AddComponent(name, schema);
                    oneOf.Add(new OpenApiSchemaReference(name, document));
                }
                else
                {
                    oneOf.Add(schema);
                }
            }
            foreach (var media in content.Values)
                media.Schema = new OpenApiSchema { OneOf = oneOf };
        }
    }

    /// <summary>
    /// A schema is named after its type. Two types of one name would silently share one schema (as ten request
    /// bodies once shared one <c>Request</c>), so a second type claiming a taken name fails the document instead.
    /// </summary>
    private sealed class SchemaNames
    {
        private readonly ConcurrentDictionary<string, Type> _owners = new(StringComparer.Ordinal);

        public string? Of(JsonTypeInfo type)
        {
            if (OpenApiOptions.CreateDefaultSchemaReferenceId(type) is not { } name)
                return null;
            var claimant = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
            var owner = _owners.GetOrAdd(name, claimant);
            return owner == claimant
                ? name
                : throw new InvalidOperationException($"OpenAPI schema name '{name}' is claimed by both {owner.FullName} and {claimant.FullName}; give one of them another name.");
        }
    }
}
