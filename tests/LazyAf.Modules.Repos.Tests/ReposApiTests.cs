using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Repos.Tests;

public sealed class ReposApiTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private HttpClient Api => fixture.Host.Client;

    [Fact]
    public async Task Create_get_list_rename_and_delete_a_repo()
    {
        var created = await (await Api.PostJsonAsync("/api/repos", new { name = "crud", remote_url = "https://example.test/crud.git" })).JsonAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.Equal("main", created.Str("default_branch"));
        Assert.Equal($"{fixture.Host.BaseUrl}/git/{id}.git", created.Str("clone_url"));
        Assert.Equal("https://example.test/crud.git", created.Str("remote_url"));

        var fetched = await (await Api.GetAsync($"/api/repos/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("crud", fetched.Str("name"));
        var all = await (await Api.GetAsync("/api/repos")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(all.EnumerateArray(), r => r.Str("id") == id);

        var renamed = await (await Api.PatchJsonAsync($"/api/repos/{id}", new { name = "crud-renamed", remote_url = "" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("crud-renamed", renamed.Str("name"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, renamed.GetProperty("remote_url").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/repos/{id}")).StatusCode);
        await (await Api.GetAsync($"/api/repos/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.False(Directory.Exists(Path.Combine(fixture.Host.DataDir, "repos", id + ".git")));
    }

    [Fact]
    public async Task Ingest_returns_the_same_repo_for_the_same_name_and_records_a_new_remote()
    {
        var first = await (await Api.PostJsonAsync("/api/repos/ingest", new { name = "ingested", default_branch = "trunk" })).JsonAsync(HttpStatusCode.Created);
        var again = await (await Api.PostJsonAsync("/api/repos/ingest", new { name = "ingested", remote_url = "git@example.test:x.git" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(first.Str("id"), again.Str("id"));
        Assert.Equal("trunk", again.Str("default_branch"));
        Assert.Equal("git@example.test:x.git", again.Str("remote_url"));
    }

    [Fact]
    public async Task Changing_the_default_branch_moves_HEAD_of_the_git_repo()
    {
        var id = await fixture.Host.CreateRepoAsync("head-follows");
        Assert.Equal("ref: refs/heads/main", (await Api.GetStringAsync($"/git/{id}.git/HEAD")).Trim());

        await (await Api.PatchJsonAsync($"/api/repos/{id}", new { default_branch = "develop" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("ref: refs/heads/develop", (await Api.GetStringAsync($"/git/{id}.git/HEAD")).Trim());
    }

    [Theory]
    [InlineData("", "name")]
    [InlineData("../escape", "name")]
    [InlineData("has space", "name")]
    [InlineData("ends.git", "name")]
    [InlineData("-starts-with-dash", "name")]
    public async Task Invalid_names_are_refused_with_a_problem_naming_the_field(string name, string field)
    {
        var problem = await (await Api.PostJsonAsync("/api/repos", new { name })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Invalid_default_branch_and_overlong_names_are_refused()
    {
        await (await Api.PostJsonAsync("/api/repos", new { name = "ok-name", default_branch = "bad..branch" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PostJsonAsync("/api/repos", new { name = new string('a', 101) })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PatchJsonAsync($"/api/repos/{await fixture.Host.CreateRepoAsync("patch-bad")}", new { default_branch = "-x" })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_duplicate_name_is_a_conflict_and_creates_nothing()
    {
        await fixture.Host.CreateRepoAsync("taken");
        var before = Directory.GetDirectories(Path.Combine(fixture.Host.DataDir, "repos")).Length;

        await (await Api.PostJsonAsync("/api/repos", new { name = "TAKEN" })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(before, Directory.GetDirectories(Path.Combine(fixture.Host.DataDir, "repos")).Length);
    }

    [Fact]
    public async Task Malformed_json_is_a_bad_request_problem()
    {
        using var content = new StringContent("{\"name\": ", System.Text.Encoding.UTF8, "application/json");
        await (await Api.PostAsync("/api/repos", content)).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("GET", "/api/repos/{0}")]
    [InlineData("PATCH", "/api/repos/{0}")]
    [InlineData("DELETE", "/api/repos/{0}")]
    [InlineData("GET", "/api/repos/{0}/branches")]
    [InlineData("GET", "/api/repos/{0}/commits")]
    [InlineData("GET", "/api/repos/{0}/diff?base=main&head=main")]
    [InlineData("GET", "/api/repos/{0}/pushes")]
    [InlineData("DELETE", "/api/repos/{0}/branches/feature")]
    public async Task Unknown_repos_are_404_problems(string method, string template)
    {
        foreach (var id in new[] { "0123456789abcdef0123456789abcdef", "not-an-id" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), string.Format(System.Globalization.CultureInfo.InvariantCulture, template, id));
            if (method == "PATCH")
                request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
            await (await Api.SendAsync(request)).ProblemAsync(HttpStatusCode.NotFound);
        }
    }
}
