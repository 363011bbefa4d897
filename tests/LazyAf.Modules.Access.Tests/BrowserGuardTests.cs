using System.Net;
using System.Net.WebSockets;
using LazyAf.Testing;

namespace LazyAf.Modules.Access.Tests;

/// <summary>
/// What a browser page can and cannot do, at the HTTP level: a foreign Host (DNS rebinding) is refused, a foreign
/// Origin may not write or open /ws, and the board's login link gives a strict cookie whose writes need the page's Origin.
/// </summary>
public sealed class BrowserGuardTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private LazyAfHost Host => fixture.Host;

    private string Port => new Uri(Host.BaseUrl).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("/api/repos")]
    [InlineData("/health")]
    [InlineData("/git/00000000000000000000000000000000.git/info/refs?service=git-upload-pack")]
    public async Task A_foreign_host_name_is_refused_even_with_the_owner_token(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Host = $"rebound.example:{Port}";

        var problem = await (await Host.Client.SendAsync(request)).ProblemAsync(HttpStatusCode.MisdirectedRequest);

        Assert.Contains("rebound.example", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]")]
    [InlineData("board.localhost")]
    public async Task Loopback_host_names_are_served(string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/repos");
        request.Headers.Host = $"{name}:{Port}";

        Assert.Equal(HttpStatusCode.OK, (await Host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_configured_public_name_is_served()
    {
        await using var host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Security:AllowedHosts:0"] = "lazyaf.example.test" });
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/repos");
        request.Headers.Host = "lazyaf.example.test";

        Assert.Equal(HttpStatusCode.OK, (await host.Client.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task A_write_from_a_foreign_origin_is_refused_even_with_the_owner_token()
    {
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/api/repos") { Content = JsonBody(new { name = "from-a-page" }) };
        foreign.Headers.Add("Origin", "http://127.0.0.1:1");
        using var own = new HttpRequestMessage(HttpMethod.Post, "/api/repos") { Content = JsonBody(new { name = "from-the-board" }) };
        own.Headers.Add("Origin", Host.BaseUrl);

        var problem = await (await Host.Client.SendAsync(foreign)).ProblemAsync(HttpStatusCode.Forbidden);
        await (await Host.Client.SendAsync(own)).JsonAsync(HttpStatusCode.Created);

        Assert.Equal("urn:lazyaf:problem:cross-origin", problem.Str("type"));
        var names = (await (await Host.Client.GetAsync("/api/repos")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("name")).ToList();
        Assert.DoesNotContain("from-a-page", names);
    }

    [Fact]
    public async Task Live_events_refuse_a_foreign_origin_and_accept_the_hosts_own_or_none()
    {
        var url = new Uri(Host.BaseUrl.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws");
        using var foreign = new ClientWebSocket();
        foreign.Options.SetRequestHeader("Authorization", "Bearer " + Host.OwnerToken);
        foreign.Options.SetRequestHeader("Origin", "http://localhost:1");
        foreign.Options.CollectHttpResponseDetails = true;
        using var own = new ClientWebSocket();
        own.Options.SetRequestHeader("Authorization", "Bearer " + Host.OwnerToken);
        own.Options.SetRequestHeader("Origin", Host.BaseUrl);

        await Assert.ThrowsAsync<WebSocketException>(() => foreign.ConnectAsync(url, CancellationToken.None));
        await own.ConnectAsync(url, CancellationToken.None);

        Assert.Equal(HttpStatusCode.Forbidden, foreign.HttpStatusCode);
        Assert.Equal(WebSocketState.Open, own.State);
        await using var plain = await LiveClient.ConnectAsync(Host);
        Assert.NotEmpty(await plain.FollowAsync(LiveClient.Nowhere));
    }

    [Fact]
    public async Task The_login_link_works_once_and_sets_a_strict_http_only_cookie()
    {
        var link = await (await Host.Client.PostAsync("/api/login-codes", null)).JsonAsync(HttpStatusCode.OK);
        using var browser = Browser();

        using var login = await browser.GetAsync(link.Str("url"));
        using var again = await browser.GetAsync(link.Str("url"));

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location!.ToString());
        var cookie = Assert.Single(login.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith($"lazyaf_session_{Port}=lazyaf_", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cookie, StringComparison.OrdinalIgnoreCase);
        await again.ProblemAsync(HttpStatusCode.BadRequest);
        await (await browser.GetAsync("/login?code=made-up")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_cookie_session_reads_freely_but_writes_only_with_the_pages_own_origin_and_logout_ends_it()
    {
        var cookie = await LoginAsync();
        using var browser = Browser();

        using var read = await Send(browser, HttpMethod.Get, "/api/me", cookie, origin: null);
        using var noOrigin = await Send(browser, HttpMethod.Post, "/api/repos", cookie, origin: null, new { name = "cookie-no-origin" });
        using var otherPort = await Send(browser, HttpMethod.Post, "/api/repos", cookie, origin: "http://127.0.0.1:1", new { name = "cookie-other-port" });
        using var board = await Send(browser, HttpMethod.Post, "/api/repos", cookie, origin: Host.BaseUrl, new { name = "cookie-board" });

        Assert.Equal("session", (await read.JsonAsync(HttpStatusCode.OK)).Str("kind"));
        await noOrigin.ProblemAsync(HttpStatusCode.Forbidden);
        await otherPort.ProblemAsync(HttpStatusCode.Forbidden);
        await board.JsonAsync(HttpStatusCode.Created);

        using var logout = await Send(browser, HttpMethod.Post, "/logout", cookie, origin: Host.BaseUrl);
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        using var after = await Send(browser, HttpMethod.Get, "/api/me", cookie, origin: null);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    private async Task<string> LoginAsync()
    {
        var link = await (await Host.Client.PostAsync("/api/login-codes", null)).JsonAsync(HttpStatusCode.OK);
        using var browser = Browser();
        using var login = await browser.GetAsync(link.Str("url"));
        return login.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    /// <summary>A client that keeps no cookies and follows no redirects, so each test says exactly what it sends.</summary>
    private HttpClient Browser() => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(Host.BaseUrl) };

    private static Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string path, string cookie, string? origin, object? body = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonBody(body) };
        request.Headers.Add("Cookie", cookie);
        if (origin is not null)
            request.Headers.Add("Origin", origin);
        return client.SendAsync(request);
    }

    private static StringContent JsonBody(object body) =>
        new(System.Text.Json.JsonSerializer.Serialize(body, LazyAfHost.Json), System.Text.Encoding.UTF8, "application/json");
}
