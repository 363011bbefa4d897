using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LazyAf.Testing;

namespace LazyAf.Modules.Access.Tests;

/// <summary>What a request must carry, and what it gets without it: the REST API and the git server alike.</summary>
public sealed class CredentialTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private LazyAfHost Host => fixture.Host;

    [Fact]
    public async Task Without_a_token_the_api_answers_401_with_a_bearer_challenge_and_health_stays_open()
    {
        using var stranger = Host.CreateClient(null);

        using var response = await stranger.GetAsync("/api/repos");

        var problem = await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("urn:lazyaf:problem:unauthenticated", problem.Str("type"));
        Assert.Equal("Bearer realm=\"LazyAF\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task The_git_server_challenges_with_basic_so_git_asks_its_credential_helper()
    {
        var repo = await Host.CreateRepoAsync("challenge");
        using var stranger = Host.CreateClient(null);

        using var response = await stranger.GetAsync($"/git/{repo}.git/info/refs?service=git-upload-pack");

        await response.ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Equal("Basic realm=\"LazyAF\", charset=\"UTF-8\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("git", true)]
    [InlineData("anyone", true)]
    [InlineData("", false)]
    public async Task Basic_authentication_takes_the_token_as_the_password_with_any_user_name_or_as_the_user_name(string user, bool tokenIsPassword)
    {
        using var client = Host.CreateClient(null);
        var pair = tokenIsPassword ? $"{user}:{Host.OwnerToken}" : $"{Host.OwnerToken}:";
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));

        var me = await (await client.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(("owner", "owner"), (me.Str("user"), me.Str("kind")));
        Assert.Equal(["read", "cards", "pipelines", "runners", "secrets", "admin"], me.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
    }

    [Theory]
    [InlineData("lazyaf_not-a-real-token")]
    [InlineData("something else")]
    public async Task An_unknown_token_is_401_saying_so(string token)
    {
        using var client = Host.CreateClient(token);

        var problem = await (await client.GetAsync("/api/repos")).ProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal("The token is unknown, expired or revoked.", problem.Str("detail"));
    }

    [Fact]
    public async Task A_token_without_the_scope_gets_403_naming_it_and_a_revoked_token_gets_401()
    {
        var (token, id) = await Tokens.CreateAsync(Host, ["read"]);
        using var reader = Host.CreateClient(token);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/repos")).StatusCode);

        var problem = await (await reader.PostJsonAsync("/api/repos", new { name = "not-allowed" })).ProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal("admin", problem.Str("required_scope"));
        Assert.Equal("This request needs a token with the 'admin' scope; this one has read.", problem.Str("detail"));

        await (await Host.Client.DeleteAsync($"/api/tokens/{id}")).JsonAsync(HttpStatusCode.NoContent);
        await (await reader.GetAsync("/api/repos")).ProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Tokens_are_listed_with_their_user_scopes_and_last_use_but_never_their_value()
    {
        await (await Host.Client.PostJsonAsync("/api/users", new { name = "alice" })).JsonAsync(HttpStatusCode.Created);
        var (token, id) = await Tokens.CreateAsync(Host, ["read", "cards"], user: "alice", name: "laptop");
        using var alice = Host.CreateClient(token);
        var me = await (await alice.GetAsync("/api/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("alice", "api"), (me.Str("user"), me.Str("kind")));

        var listing = await Host.Client.GetStringAsync("/api/tokens");

        Assert.DoesNotContain(token, listing, StringComparison.Ordinal);
        var listed = (await (await Host.Client.GetAsync("/api/tokens")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().Single(t => t.Str("id") == id);
        Assert.Equal(("alice", "laptop", "api"), (listed.Str("user"), listed.Str("name"), listed.Str("kind")));
        Assert.Equal(["read", "cards"], listed.GetProperty("scopes").EnumerateArray().Select(s => s.GetString()));
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, listed.GetProperty("last_used_at").ValueKind);
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, listed.GetProperty("expires_at").ValueKind);
    }

    [Fact]
    public async Task Bad_token_and_user_requests_are_problems()
    {
        var token = await (await Host.Client.PostJsonAsync("/api/tokens", new { name = "", scopes = new[] { "read", "root" }, expires_in_days = 0 })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["expires_in_days", "name", "scopes"], token.GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
        await (await Host.Client.PostJsonAsync("/api/tokens", new { name = "x", scopes = new[] { "read" }, user = "nobody" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await Host.Client.PostJsonAsync("/api/users", new { name = "Bad Name" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Host.Client.PostJsonAsync("/api/users", new { name = "owner" })).ProblemAsync(HttpStatusCode.Conflict);
        var owner = (await (await Host.Client.GetAsync("/api/tokens")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().First(t => t.Str("kind") == "owner");
        await (await Host.Client.DeleteAsync($"/api/tokens/{owner.Str("id")}")).ProblemAsync(HttpStatusCode.Conflict);
        await (await Host.Client.DeleteAsync("/api/tokens/00000000000000000000000000000000")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_history_records_the_authenticated_user_and_the_actor_header_only_as_a_label()
    {
        await (await Host.Client.PostJsonAsync("/api/users", new { name = "bob" })).JsonAsync(HttpStatusCode.Created);
        var (token, _) = await Tokens.CreateAsync(Host, ["read", "cards"], user: "bob");
        var repo = await Host.CreateRepoAsync("history-actor");
        var card = await (await Host.Client.PostJsonAsync($"/api/repos/{repo}/cards",
            new { title = "t", step_type = "script", step_config = new { command = "true" } })).JsonAsync(HttpStatusCode.Created);
        using var bob = Host.CreateClient(token);
        using var start = new HttpRequestMessage(HttpMethod.Post, $"/api/cards/{card.Str("id")}/start");
        start.Headers.Add("X-LazyAF-Actor", "owner");

        await (await bob.SendAsync(start)).JsonAsync(HttpStatusCode.Accepted);

        var events = await (await Host.Client.GetAsync($"/api/cards/{card.Str("id")}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("bob via owner", events.EnumerateArray().First(e => e.Str("trigger") == "start").Str("actor"));
    }
}
