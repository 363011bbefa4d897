using LazyAf.Host.Tests.OpenApi;
using Microsoft.AspNetCore.Authorization;

namespace LazyAf.Host.Tests;

/// <summary>
/// Every endpoint a module maps lies inside the route group its <c>Map{Module}</c> returns, where the host's registry
/// attaches the module's scopes (an endpoint mapped beside it would be reachable with any credential), and answers
/// with response records of its own, never the rows its <c>Data/</c> stores.
/// </summary>
public sealed class ModuleEndpointTests(ApiDocumentFixture api) : IClassFixture<ApiDocumentFixture>
{
    private const string ModulePrefix = "LazyAf.Modules.";

    // Access's own endpoints each carry their rule (open, any credential, admin); every other module's come from its group.
    private const string Access = ModulePrefix + "Access";

    [Fact]
    public void Every_module_endpoint_gets_the_scope_its_module_group_attaches()
    {
        var modules = api.AllEndpoints.Where(e => ModuleOf(e) is { } module && module != Access).ToList();
        Assert.True(modules.Select(ModuleOf).Distinct().Count() >= 7, "the endpoints of most modules were not found by their handlers");
        var outside = modules
            .Where(e => !e.Endpoint.Metadata.OfType<AuthorizationPolicy>().Any() && !e.Endpoint.Metadata.OfType<IAllowAnonymous>().Any())
            .Select(e => $"{e.Method} {e.Path} ({ModuleOf(e)})")
            .ToList();
        Assert.True(outside.Count == 0, "mapped outside its module's group, so no scope reaches it:\n" + string.Join("\n", outside));
    }

    [Fact]
    public void No_endpoint_answers_with_a_storage_row()
    {
        var rows = api.Endpoints
            .SelectMany(e => e.Responses.Where(r => r.Type is not null).SelectMany(r => TypesIn(r.Type!)).Select(type => (e, type)))
            .Where(x => x.type.Namespace?.EndsWith(".Data", StringComparison.Ordinal) == true)
            .Select(x => $"{x.e.Method} {x.e.Path} answers {x.type.FullName}")
            .Distinct()
            .ToList();
        Assert.True(rows.Count == 0, "responses must be records of the feature, not storage rows:\n" + string.Join("\n", rows));
    }

    private static string? ModuleOf(ApiEndpoint endpoint) =>
        endpoint.Handler?.DeclaringType?.Assembly.GetName().Name is { } name && name.StartsWith(ModulePrefix, StringComparison.Ordinal) ? name : null;

    /// <summary>The type and every type it is made of: <c>Ok&lt;IReadOnlyList&lt;Row&gt;&gt;</c> holds <c>Row</c>.</summary>
    private static IEnumerable<Type> TypesIn(Type type)
    {
        yield return type;
        var parts = type.IsArray ? [type.GetElementType()!] : type.IsGenericType ? type.GetGenericArguments() : Type.EmptyTypes;
        foreach (var part in parts.SelectMany(TypesIn))
            yield return part;
        if (type.DeclaringType is { } outer && type.IsNested)
            yield return outer;
    }
}
