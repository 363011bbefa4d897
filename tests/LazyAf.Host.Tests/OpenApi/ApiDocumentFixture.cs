using System.Text.Json;
using LazyAf.Testing;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Host.Tests.OpenApi;

/// <summary>The real host, its endpoints and the OpenAPI document it serves at <c>/openapi/v1.json</c>.</summary>
public sealed class ApiDocumentFixture : IAsyncLifetime
{
    private readonly FailureWitness _failure = new();
    private LazyAfHost? _host;

    public string Json { get; private set; } = "";

    public JsonElement Document { get; private set; }

    /// <summary>The endpoints the document must describe (those not excluded from it).</summary>
    public IReadOnlyList<ApiEndpoint> Endpoints { get; private set; } = [];

    /// <summary>Every HTTP endpoint, also those excluded from the document.</summary>
    public IReadOnlyList<ApiEndpoint> AllEndpoints { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _host = LazyAfHost.Start(configureServices: services => services.AddSingleton<IExceptionHandler>(_failure));
        using var response = await _host.Client.GetAsync("/openapi/v1.json");
        Json = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"/openapi/v1.json answered {(int)response.StatusCode}: {_failure.Exception?.Message ?? Json}");
        Document = JsonDocument.Parse(Json).RootElement.Clone();
        AllEndpoints = ApiEndpoint.All(_host.Services.GetRequiredService<EndpointDataSource>());
        Endpoints = [.. AllEndpoints.Where(e => e.IsDescribed)];
    }

    /// <summary>The document's operation of <paramref name="endpoint"/>, if it has one.</summary>
    public JsonElement? Operation(ApiEndpoint endpoint) =>
        Document.GetProperty("paths").TryGetProperty(endpoint.Path, out var path) && path.TryGetProperty(endpoint.Method.ToLowerInvariant(), out var operation)
            ? operation
            : null;

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
    }

    /// <summary>Keeps the exception behind a 500 (a schema name two types claim fails the document), so the failure says what it was.</summary>
    private sealed class FailureWitness : IExceptionHandler
    {
        public Exception? Exception { get; private set; }

        public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
        {
            Exception = exception;
            return ValueTask.FromResult(false);
        }
    }
}
