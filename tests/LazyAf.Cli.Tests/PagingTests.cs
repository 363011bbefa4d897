using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using LazyAf.Client;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// The paging convention (a JSON array per page, the next one in <c>Link: &lt;url&gt;; rel="next"</c>) as the CLI follows it,
/// against a tiny loopback server that pages (the host does not yet).
/// </summary>
public sealed class PagingTests : IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_listing_follows_relative_and_absolute_next_links_until_a_page_has_none()
    {
        await using var server = PagingServer.Start((path, self) => path switch
        {
            "/api/repos" => (Repos("a", "b"), "</api/repos?cursor=2>; rel=\"next\""),
            "/api/repos?cursor=2" => (Repos("c"), $"<{self}/api/repos?cursor=1>; rel=\"prev\", <{self}/api/repos?cursor=3>; rel=\"next\""),
            "/api/repos?cursor=3" => (Repos("d"), null),
            _ => null,
        });

        var listed = (await new LazyafCli(server.Url).RunAsync(_work.Path, "repos", "--json")).AssertSucceeded();

        Assert.Equal(["a", "b", "c", "d"], JsonDocument.Parse(listed.Output).RootElement.EnumerateArray().Select(r => r.Str("name")));
        Assert.Equal(["/api/repos", "/api/repos?cursor=2", "/api/repos?cursor=3"], server.Requests);
    }

    [Fact]
    public async Task A_next_link_to_another_server_or_back_to_a_page_already_read_fails_in_one_line()
    {
        await using var server = PagingServer.Start((path, _) => path switch
        {
            "/api/repos" => (Repos("a"), "<http://127.0.0.2:9/api/repos?cursor=2>; rel=\"next\""),
            "/api/users" => ("[]", "</api/users>; rel=\"next\""),
            _ => null,
        });
        var cli = new LazyafCli(server.Url);

        var elsewhere = (await cli.RunAsync(_work.Path, "repos")).AssertFailedWithOneLine();
        var circle = (await cli.RunAsync(_work.Path, "user", "list")).AssertFailedWithOneLine();

        Assert.Contains("next page is on another server (http://127.0.0.2:9)", elsewhere, StringComparison.Ordinal);
        Assert.Contains("pages /api/users in a circle", circle, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("</x?cursor=2>; rel=\"next\"", "http://h:1/x?cursor=2")]
    [InlineData("<http://h:1/x?cursor=2>; rel=next", "http://h:1/x?cursor=2")]
    [InlineData("</x?a=1,2>; rel=\"prev\", </x?cursor=3>; rel=\"last next\"", "http://h:1/x?cursor=3")]
    [InlineData("</x?cursor=1>; rel=\"prev\"", null)]
    public void Next_page_reads_rel_next_from_the_link_header(string? link, string? next)
    {
        using var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = new HttpRequestMessage(HttpMethod.Get, "http://h:1/api/list") };
        if (link is not null)
            response.Headers.TryAddWithoutValidation("Link", link);

        Assert.Equal(next, NextPage.Of(response)?.ToString());
    }

    private static string Repos(params string[] names) =>
        JsonSerializer.Serialize(names.Select(n => new Dictionary<string, string> { ["id"] = new string('0', 31) + n[0], ["name"] = n, ["clone_url"] = "", ["default_branch"] = "main" }));

    /// <summary>An HttpListener on a free loopback port answering GETs from a table: (JSON body, Link header) or 404.</summary>
    private sealed class PagingServer : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        private PagingServer(Func<string, string, (string Body, string? Link)?> answer)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            Url = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Url + "/");
            _listener.Start();
            _serving = ServeAsync(answer);
        }

        public string Url { get; }

        public List<string> Requests { get; } = [];

        public static PagingServer Start(Func<string, string, (string Body, string? Link)?> answer) => new(answer);

        private async Task ServeAsync(Func<string, string, (string Body, string? Link)?> answer)
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception stopped) when (stopped is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                var path = context.Request.Url!.PathAndQuery;
                lock (Requests)
                    Requests.Add(path);
                var page = answer(path, Url);
                context.Response.StatusCode = page is null ? 404 : 200;
                context.Response.ContentType = "application/json";
                if (page?.Link is { } link)
                    context.Response.AddHeader("Link", link);
                var body = Encoding.UTF8.GetBytes(page?.Body ?? "{}");
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            await _serving;
            _listener.Close();
        }
    }
}
