using System.Net;
using System.Text;
using LazyAf.Testing;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Access.Tests;

/// <summary>
/// Every endpoint the host maps — read from its endpoint data source, so a new endpoint is covered the day it is
/// mapped — answers 401 without a credential and 403 (naming the scope) to a token that has every scope but the one
/// it needs, and lets a token with just that scope through. The expected scope of each route is this table's, not
/// the host's: an endpoint the table does not know fails the test until someone decides what it needs.
/// </summary>
public sealed class EndpointAccessTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private const string AnyCredential = "(any)";
    private const string Anonymous = "(none)";
    // Open to Access, but the endpoint itself refuses a caller without its one-time secret (401).
    private const string OwnSecret = "(its own secret)";
    private const string Dummy = "00000000000000000000000000000000";

    private static readonly string[] ScopesOtherThanAdmin = ["read", "cards", "pipelines", "runners", "secrets"];

    // Exact routes first, then prefixes of writes, longest first; reads need 'read' unless listed.
    private static readonly Dictionary<string, string> Exact = new(StringComparer.Ordinal)
    {
        ["GET /health"] = Anonymous,
        ["GET /alive"] = Anonymous,
        ["GET /login"] = Anonymous,
        // The board's app shell: static files that hold no data; everything it shows comes from /api.
        ["GET {*path:nonfile}"] = Anonymous,
        ["HEAD {*path:nonfile}"] = Anonymous,
        ["POST /api/webhooks/{token}"] = Anonymous,
        // A debug terminal is opened with the one-time token POST /api/debug/{sid}/terminal-token gave (a browser's
        // WebSocket cannot send a bearer header).
        ["GET /api/debug/{sid}/terminal"] = OwnSecret,
        // A command in a paused step's environment, with its secrets: the scope that runs pipelines, as a terminal token's.
        ["POST /api/debug/{sid}/exec"] = "pipelines",
        // The runner protocol: a runner proves itself in its hello (a registration token or its own credential).
        ["POST /lazyaf.runner.v1.RunnerService/Connect"] = Anonymous,
        ["GET /api/me"] = AnyCredential,
        ["POST /logout"] = AnyCredential,
        ["GET /api/users"] = "admin",
        ["GET /api/tokens"] = "admin",
        ["GET /api/audit"] = "admin",
        // Dead letters hold event payloads of every module: admins only, reads too.
        ["GET /api/admin/dead-letters/"] = "admin",
        ["GET /api/admin/dead-letters/{id:long}"] = "admin",
        // MCP's JSON-RPC is all POSTs; the tools call the API with the caller's token, where each write needs its scope.
        ["POST /mcp/"] = "read",
    };

    private static readonly (string Prefix, string Scope)[] Writes =
    [
        ("/api/repos/{id}/secrets", "secrets"),
        ("/api/secrets", "secrets"),
        ("/api/repos/{repoId}/cards", "cards"),
        ("/api/repos/{id}/playground", "cards"),
        ("/api/repos/{repoId}/pipelines", "pipelines"),
        ("/api/repos/{id}/webhooks", "pipelines"),
        ("/api/repos/{id}/quarantine", "pipelines"),
        ("/api/repos", "admin"),
        ("/api/admin", "admin"),
        ("/api/users", "admin"),
        ("/api/tokens", "admin"),
        ("/api/login-codes", "admin"),
        ("/api/cards", "cards"),
        ("/api/agent-files", "cards"),
        ("/api/executions", "cards"),
        ("/api/playground", "cards"),
        ("/api/pipelines", "pipelines"),
        ("/api/pipeline-runs", "pipelines"),
        ("/api/debug", "pipelines"),
        ("/api/runners", "runners"),
        ("/git/{repo}.git/git-upload-pack", "read"),
        ("/git/{repo}.git/git-receive-pack", "cards"),
    ];

    private readonly Dictionary<string, string> _tokens = [];

    [Fact]
    public async Task Every_endpoint_needs_a_credential_and_exactly_its_scope()
    {
        var endpoints = Routes();
        Assert.True(endpoints.Count > 60, $"only {endpoints.Count} endpoints found");
        var failures = new List<string>();
        foreach (var (method, pattern) in endpoints)
        {
            var key = $"{method} {pattern.RawText}";
            if (ExpectedScope(method, pattern.RawText!) is not { } expected)
            {
                failures.Add($"{key}: the table does not say which scope it needs");
                continue;
            }
            var url = UrlOf(pattern);
            using var anonymous = await SendAsync(null, method, url);
            if (expected == Anonymous)
            {
                if (anonymous.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                    failures.Add($"{key}: open by design, but answered {(int)anonymous.StatusCode}");
                continue;
            }
            if (anonymous.StatusCode != HttpStatusCode.Unauthorized)
                failures.Add($"{key}: without a credential answered {(int)anonymous.StatusCode}, not 401");
            if (expected is AnyCredential or OwnSecret)
                continue;

            using var lacking = await SendAsync(await TokenAsync(ScopesOtherThanAdmin.Where(s => s != expected)), method, url);
            var body = await lacking.Content.ReadAsStringAsync();
            if (lacking.StatusCode != HttpStatusCode.Forbidden || !body.Contains($"\"required_scope\":\"{expected}\"", StringComparison.Ordinal))
                failures.Add($"{key}: a token without '{expected}' got {(int)lacking.StatusCode} {body}");

            using var just = await SendAsync(await TokenAsync([expected]), method, url);
            if (just.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
                failures.Add($"{key}: a token with just '{expected}' got {(int)just.StatusCode} {await just.Content.ReadAsStringAsync()}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private List<(string Method, RoutePattern Pattern)> Routes() =>
        fixture.Host.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(m => (m, e.RoutePattern)))
            .ToList();

    private static string? ExpectedScope(string method, string route)
    {
        if (Exact.TryGetValue($"{method} {route}", out var exact))
            return exact;
        if (method is "GET" or "HEAD")
            return "read";
        return Writes.Where(w => route.StartsWith(w.Prefix, StringComparison.Ordinal)).Select(w => w.Scope).FirstOrDefault();
    }

    private static string UrlOf(RoutePattern pattern)
    {
        var url = new StringBuilder();
        foreach (var segment in pattern.PathSegments)
        {
            url.Append('/');
            foreach (var part in segment.Parts)
                url.Append(part is RoutePatternLiteralPart literal ? literal.Content : Dummy);
        }
        return url.Length == 0 ? "/" : url.ToString();
    }

    private async Task<HttpResponseMessage> SendAsync(string? token, string method, string url)
    {
        using var client = fixture.Host.CreateClient(token);
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (method is not ("GET" or "HEAD" or "DELETE"))
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        return await client.SendAsync(request);
    }

    private async Task<string> TokenAsync(IEnumerable<string> scopes)
    {
        var list = scopes.ToList();
        var key = string.Join(',', list);
        if (!_tokens.TryGetValue(key, out var token))
            _tokens[key] = token = (await Tokens.CreateAsync(fixture.Host, list)).Token;
        return token;
    }
}
