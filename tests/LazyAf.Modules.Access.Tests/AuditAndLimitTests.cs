using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Access.Tests;

/// <summary>The audit log of writes and logins, and the limit on failed authentications.</summary>
public sealed class AuditAndLimitTests
{
    [Fact]
    public async Task Writes_and_logins_are_audited_with_who_what_and_from_where()
    {
        await using var host = LazyAfHost.Start();
        var repo = await host.CreateRepoAsync("audited");
        await (await host.Client.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "t", step_type = "script", step_config = new { command = "true" } })).JsonAsync(HttpStatusCode.Created);
        await (await host.Client.PutJsonAsync($"/api/repos/{repo}/secrets/API_KEY", new { value = "s3cret" })).JsonAsync(HttpStatusCode.NoContent);
        var link = await (await host.Client.PostAsync("/api/login-codes", null)).JsonAsync(HttpStatusCode.OK);
        using (var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }))
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(link.Str("url"))).StatusCode);

        var audit = (await (await host.Client.GetAsync("/api/audit")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToList();

        var actions = audit.Select(e => (e.Str("actor"), e.Str("action"), e.GetProperty("status").GetInt32())).Reverse().ToList();
        Assert.Equal(
            [("owner", "CreateRepo", 201), ("owner", "CreateCard", 201), ("owner", "SetSecret", 204), ("owner", "CreateLoginCode", 200), ("anonymous", "Login", 302)],
            actions);
        Assert.All(audit, e => Assert.Equal("127.0.0.1", e.Str("remote")));
        Assert.Equal($"/api/repos/{repo}/cards", audit.Single(e => e.Str("action") == "CreateCard").Str("path"));
    }

    [Fact]
    public async Task Too_many_bad_tokens_from_one_address_get_429_with_retry_after_even_for_a_good_token()
    {
        await using var host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Security:AuthFailureLimit"] = "3" });
        using var guesser = host.CreateClient("lazyaf_guess");
        using var stranger = host.CreateClient(null);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await guesser.GetAsync("/api/repos")).StatusCode);
        using var blocked = await host.Client.GetAsync("/api/repos");

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
        await blocked.ProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.InRange(int.Parse(blocked.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        // Asking without any credential is no failure, and health stays open.
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/repos")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await stranger.GetAsync("/health")).StatusCode);
    }
}
