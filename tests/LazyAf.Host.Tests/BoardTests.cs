using System.Net;
using LazyAf.Testing;

namespace LazyAf.Host.Tests;

/// <summary>The host serves the built board at / and answers index.html for the app's own links, never for its own paths.</summary>
public sealed class BoardTests : IAsyncLifetime
{
    private const string IndexHtml = "<!doctype html><title>LazyAF</title><div id=\"app\"></div>";
    private readonly TempDir _board = new("lazyaf-board");
    private LazyAfHost _host = null!;

    public Task InitializeAsync()
    {
        File.WriteAllText(Path.Combine(_board.Path, "index.html"), IndexHtml);
        Directory.CreateDirectory(Path.Combine(_board.Path, "assets"));
        File.WriteAllText(Path.Combine(_board.Path, "assets", "index-3f2a9c.js"), "console.log('board')");
        _host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Board:Path"] = _board.Path });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _board.Dispose();
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/index.html")]
    [InlineData("/cards/01a233dc036e712cb60032c7c1cd12a7")]
    [InlineData("/repos/abc/board")]
    [InlineData("/wsx")]
    [InlineData("/apis")]
    public async Task The_board_answers_its_own_links_with_index_html_fetched_fresh(string path)
    {
        using var response = await GetPageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(IndexHtml, await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoCache, $"{path} must be revalidated, so a new build is picked up");
    }

    [Theory]
    [InlineData("/etc/passwd.git/HEAD")]
    [InlineData("/cards/01a233dc036e712cb60032c7c1cd12a7")]
    public async Task A_program_that_does_not_ask_for_a_page_gets_no_board(string path)
    {
        // git and API clients send no Accept: text/html; a guessed path must not answer them 200 with the app.
        using var response = await _host.Client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    /// <summary>A GET as a browser navigating sends it.</summary>
    private async Task<HttpResponseMessage> GetPageAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");
        return await _host.Client.SendAsync(request);
    }

    [Fact]
    public async Task Assets_are_served_as_files_cached_for_good()
    {
        using var response = await _host.Client.GetAsync("/assets/index-3f2a9c.js");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("console.log('board')", await response.Content.ReadAsStringAsync());
        Assert.Contains("immutable", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/assets/missing-1234.js")]
    [InlineData("/api/nothing-here")]
    [InlineData("/api")]
    [InlineData("/API/cards/x/y/z")]
    [InlineData("/git/no-such-repo")]
    [InlineData("/ws/more")]
    [InlineData("/openapi/v2.json")]
    [InlineData("/health/deep")]
    [InlineData("/alive/x")]
    public async Task Missing_files_and_the_hosts_own_paths_never_fall_back_to_the_board(string path)
    {
        using var response = await GetPageAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.NotEqual("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("<title>LazyAF</title>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_api_still_answers_beside_the_board()
    {
        using var repos = await _host.Client.GetAsync("/api/repos");
        Assert.Equal(HttpStatusCode.OK, repos.StatusCode);
        Assert.Equal("application/json", repos.Content.Headers.ContentType?.MediaType);

        using var openApi = await _host.Client.GetAsync("/openapi/v1.json");
        var document = await openApi.Content.ReadAsStringAsync();
        Assert.Contains("\"/api/repos\"", document, StringComparison.Ordinal);
        Assert.DoesNotContain("{*path", document, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_browser_that_has_not_signed_in_gets_the_page_and_its_files_but_nothing_of_the_api()
    {
        // The board must load to show its sign-in page; what it shows comes from the API, which stays shut.
        using var anonymous = _host.CreateClient(token: null);
        using var page = new HttpRequestMessage(HttpMethod.Get, "/cards/01a233dc036e712cb60032c7c1cd12a7");
        page.Headers.Accept.ParseAdd("text/html");

        using var index = await anonymous.SendAsync(page);
        using var asset = await anonymous.GetAsync("/assets/index-3f2a9c.js");
        using var repos = await anonymous.GetAsync("/api/repos");
        using var document = await anonymous.GetAsync("/openapi/v1.json");

        Assert.Equal(IndexHtml, await index.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, repos.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, document.StatusCode);
    }

    [Fact]
    public async Task Only_reads_fall_back_to_the_board()
    {
        using var response = await _host.Client.PostAsync("/cards/abc", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task A_host_without_a_built_board_still_serves_its_api()
    {
        using var empty = new TempDir("lazyaf-no-board");
        await using var host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Board:Path"] = empty.Path });

        using var root = await host.Client.GetAsync("/");
        using var repos = await host.Client.GetAsync("/api/repos");

        Assert.Equal(HttpStatusCode.NotFound, root.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repos.StatusCode);
    }
}
