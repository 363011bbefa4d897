using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LazyAf.Host.Tests.OpenApi;

/// <summary>
/// The OpenAPI document against the host's own endpoints (its <c>EndpointDataSource</c>), so an endpoint added
/// anywhere is checked without editing these tests.
/// </summary>
public sealed class ApiDocumentTests(ApiDocumentFixture api) : IClassFixture<ApiDocumentFixture>
{
    private static readonly string[] ProblemSchemas = ["ProblemDetails", "HttpValidationProblemDetails"];

    [Fact]
    public void Every_endpoint_is_in_the_document_with_its_name_a_summary_and_a_tag()
    {
        Assert.NotEmpty(api.Endpoints);
        Check(api.Endpoints, endpoint =>
        {
            if (api.Operation(endpoint) is not { } operation)
                return ["is not in the document"];
            var wrong = new List<string>();
            if (endpoint.Name is null || Text(operation, "operationId") != endpoint.Name)
                wrong.Add($"has operationId '{Text(operation, "operationId")}', not its endpoint name '{endpoint.Name}'");
            if (string.IsNullOrWhiteSpace(Text(operation, "summary")))
                wrong.Add("has no summary");
            if (!operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0)
                wrong.Add("has no tag");
            return wrong;
        });
    }

    [Fact]
    public void Only_the_git_server_the_runner_protocol_mcp_the_board_pages_and_the_document_itself_are_left_out_of_it()
    {
        var left = api.AllEndpoints.Where(e => !e.IsDescribed).ToList();
        Assert.Contains(left, e => e.Path.StartsWith("/git/", StringComparison.Ordinal));
        Check(left, e => e.Path.StartsWith("/git/", StringComparison.Ordinal) || e.Path.StartsWith("/openapi/", StringComparison.Ordinal) || e.Name == "BoardPage"
            || e.Path.StartsWith("/lazyaf.runner.v1.", StringComparison.Ordinal)
            // MCP's JSON-RPC describes itself (tools/list), as the runner protocol's proto does.
            || e.Path.TrimEnd('/') == "/mcp"
            ? []
            : ["is excluded from the document"]);
    }

    [Fact]
    public void No_handler_hides_what_it_answers_behind_a_catch_all_result()
    {
        Check(api.Endpoints, endpoint => endpoint.Handler is not { } handler
            ? ["has no handler method"]
            : [.. ResultTypes(handler.ReturnType).Where(IsCatchAll).Select(t => $"returns {t.Name}, which hides the statuses it answers; return a typed problem (Problems.NotFound, …)")]);
    }

    [Fact]
    public void Every_endpoint_declares_how_it_succeeds()
    {
        Check(api.Endpoints, endpoint => Statuses(api.Operation(endpoint)).Any(IsSuccess) ? [] : ["declares no 101, 2xx or 3xx response"]);
    }

    [Fact]
    public void Every_declared_response_is_in_the_document_problems_as_problem_details()
    {
        Check(api.Endpoints, endpoint =>
        {
            if (api.Operation(endpoint) is not { } operation)
                return ["is not in the document"];
            var wrong = new List<string>();
            foreach (var declared in endpoint.Responses)
            {
                var status = declared.StatusCode.ToString(CultureInfo.InvariantCulture);
                if (!operation.GetProperty("responses").TryGetProperty(status, out var response))
                    wrong.Add($"declares {status}, which the document lacks");
                else if (declared.StatusCode >= 400 && ProblemSchema(response) is null)
                    wrong.Add($"has {status} without an application/problem+json ProblemDetails body");
                else if (declared.StatusCode < 400 && HasBody(declared.Type))
                    wrong.AddRange(declared.ContentTypes.Where(c => !HasSchema(response, c)).Select(c => $"has {status} without a {c} schema"));
            }
            return wrong;
        });
    }

    [Fact]
    public void A_request_that_can_be_malformed_declares_400_a_json_body_415_and_a_rate_limit_429()
    {
        Check(api.Endpoints, endpoint =>
        {
            var operation = api.Operation(endpoint);
            var statuses = Statuses(operation).ToHashSet();
            var wrong = new List<string>();
            if (operation is { } op && (op.TryGetProperty("requestBody", out _) || ParsedParameters(op).Any()) && !statuses.Contains(400))
                wrong.Add($"takes a body or parses {string.Join(", ", operation is { } o ? ParsedParameters(o) : [])} but does not declare 400");
            if (endpoint.JsonBody is not null && !statuses.Contains(415))
                wrong.Add("reads a JSON body but does not declare 415");
            if (endpoint.IsRateLimited && !statuses.Contains(429))
                wrong.Add("is rate limited but does not declare 429");
            return wrong;
        });
    }

    [Fact]
    public void Request_and_response_bodies_of_different_types_never_share_a_schema()
    {
        var owners = new Dictionary<string, HashSet<Type>>(StringComparer.Ordinal);
        var where = new Dictionary<(string, Type), string>();
        foreach (var endpoint in api.Endpoints)
        {
            if (api.Operation(endpoint) is not { } operation)
                continue;
            if (endpoint.JsonBody is { } body && operation.TryGetProperty("requestBody", out var request)
                && SchemaName(request, "application/json") is { } requestName)
                Own(requestName, body, $"{endpoint} body");
            foreach (var declared in endpoint.Responses.Where(r => HasBody(r.Type) && r.StatusCode < 400))
            {
                if (operation.GetProperty("responses").TryGetProperty(declared.StatusCode.ToString(CultureInfo.InvariantCulture), out var response)
                    && declared.ContentTypes.FirstOrDefault() is { } contentType && SchemaName(response, contentType) is { } responseName)
                    Own(responseName, ElementType(declared.Type!), $"{endpoint} {declared.StatusCode}");
            }
        }
        var shared = owners.Where(o => o.Value.Count > 1)
            .Select(o => $"schema {o.Key} stands for {string.Join(" and ", o.Value.Select(t => $"{t.FullName} ({where[(o.Key, t)]})"))}")
            .ToList();
        if (shared.Count > 0)
            Assert.Fail(string.Join('\n', shared));

        void Own(string name, Type type, string at)
        {
            if (!owners.TryGetValue(name, out var types))
                owners[name] = types = [];
            if (types.Add(type))
                where[(name, type)] = at;
        }
    }

    /// <summary>Fails with every endpoint that breaks the rule and how.</summary>
    private static void Check(IEnumerable<ApiEndpoint> endpoints, Func<ApiEndpoint, IEnumerable<string>> wrong)
    {
        var broken = endpoints.SelectMany(e => wrong(e).Select(w => $"{e} {w}")).ToList();
        if (broken.Count > 0)
            Assert.Fail($"{broken.Count} broken:\n" + string.Join('\n', broken));
    }

    /// <summary>The result types a handler can return: <c>Task&lt;Results&lt;A, B&gt;&gt;</c> is A and B (and so on, nested).</summary>
    private static IEnumerable<Type> ResultTypes(Type type)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(Task<>) || definition == typeof(ValueTask<>) || definition.FullName!.StartsWith("Microsoft.AspNetCore.Http.HttpResults.Results`", StringComparison.Ordinal)))
            return type.GetGenericArguments().SelectMany(ResultTypes);
        return [type];
    }

    private static bool IsCatchAll(Type type) =>
        type == typeof(ProblemHttpResult) || type == typeof(IResult) || type == typeof(Task) || type == typeof(object) || type.IsInterface;

    private static bool IsSuccess(int status) => status is 101 or >= 200 and < 400;

    private static bool HasBody(Type? type) => type is not null && type != typeof(void);

    private static IEnumerable<int> Statuses(JsonElement? operation) =>
        operation is { } op && op.TryGetProperty("responses", out var responses)
            ? responses.EnumerateObject().Select(r => int.Parse(r.Name, CultureInfo.InvariantCulture))
            : [];

    /// <summary>Parameters the framework parses from text (their schema is not only a string), so a malformed one is a 400.</summary>
    private static IEnumerable<string> ParsedParameters(JsonElement operation) =>
        operation.TryGetProperty("parameters", out var parameters)
            ? parameters.EnumerateArray()
                .Where(p => p.GetProperty("schema").TryGetProperty("type", out var type)
                    && (type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Any(t => t.GetString() != "string") : type.GetString() != "string"))
                .Select(p => p.GetProperty("name").GetString()!)
            : [];

    private static string? ProblemSchema(JsonElement response) =>
        SchemaName(response, "application/problem+json") is { } name && ProblemSchemas.Contains(name) ? name : null;

    private static bool HasSchema(JsonElement response, string contentType) =>
        response.TryGetProperty("content", out var content) && content.TryGetProperty(contentType, out var media) && media.TryGetProperty("schema", out _);

    /// <summary>The component a body's schema names: itself, the non-null one of a nullable, or the items of an array.</summary>
    private static string? SchemaName(JsonElement responseOrRequest, string contentType)
    {
        if (!responseOrRequest.TryGetProperty("content", out var content) || !content.TryGetProperty(contentType, out var media)
            || !media.TryGetProperty("schema", out var schema))
            return null;
        return Named(schema);

        static string? Named(JsonElement schema) =>
            schema.TryGetProperty("$ref", out var reference) ? reference.GetString()!.Split('/')[^1]
            : schema.TryGetProperty("items", out var items) ? Named(items)
            : schema.TryGetProperty("oneOf", out var oneOf) && oneOf.EnumerateArray().Select(Named).OfType<string>().ToList() is [var only] ? only
            : null;
    }

    /// <summary>A list's element type (its schema is an array of the element's), else the type itself.</summary>
    private static Type ElementType(Type type) =>
        type != typeof(string) && type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) is { } enumerable
            ? enumerable.GetGenericArguments()[0]
            : type;

    private static string? Text(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
