using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary>
/// /mcp is guarded like every other surface, and a tool may do exactly what the caller's token may: the tools call
/// the API with that token, over HTTP as over stdio.
/// </summary>
public sealed class AccessTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"test","version":"1"}}}""";

    [Fact]
    public async Task Mcp_without_a_token_is_401_and_from_a_foreign_page_403()
    {
        using var anonymous = fixture.Host.CreateClient(null);
        using var stranger = await anonymous.SendAsync(McpPost());
        using var owner = fixture.Host.CreateClient(fixture.Host.OwnerToken);
        var fromPage = McpPost();
        fromPage.Headers.Add("Origin", "http://evil.example");
        using var foreign = await owner.SendAsync(fromPage);
        using var fine = await owner.SendAsync(McpPost());

        Assert.Equal("Authentication required", (await stranger.ProblemAsync(HttpStatusCode.Unauthorized)).Str("title"));
        Assert.Equal("Cross-origin request refused", (await foreign.ProblemAsync(HttpStatusCode.Forbidden)).Str("title"));
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        Assert.Contains("\"serverInfo\":{\"name\":\"lazyaf\"", await fine.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(McpTransport.Http)]
    [InlineData(McpTransport.Stdio)]
    public async Task A_read_only_token_reads_through_the_tools_and_its_writes_are_refused_naming_the_scope(McpTransport transport)
    {
        var name = $"scoped-{transport}".ToLowerInvariant();
        await fixture.Host.CreateRepoAsync(name);
        var made = await (await fixture.Host.Client.PostJsonAsync("/api/tokens", new { name = $"mcp-{transport}", scopes = new[] { "read" } })).JsonAsync(HttpStatusCode.Created);
        await using var client = await McpSessions.ConnectAsync(fixture.Host, transport, made.Str("token"));

        var read = (await client.CallAsync("list_cards", new() { ["repo"] = name })).Ok();
        var write = (await client.CallAsync("create_card", new()
        {
            ["repo"] = name,
            ["title"] = "Not allowed",
            ["step_type"] = "script",
            ["step_config"] = new Dictionary<string, object> { ["command"] = "true" },
        })).Error();

        Assert.Equal("[]", read);
        Assert.StartsWith("LazyAF answered 403 Forbidden to POST /api/repos/", write, StringComparison.Ordinal);
        Assert.Contains("\"required_scope\":\"cards\"", write, StringComparison.Ordinal);
    }

    private static HttpRequestMessage McpPost()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/mcp") { Content = new StringContent(Initialize, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        return request;
    }
}
