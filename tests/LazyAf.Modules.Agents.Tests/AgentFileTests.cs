using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Agents.Tests;

public sealed class AgentFileTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Agent_files_are_created_read_by_id_and_name_replaced_and_deleted()
    {
        var created = await (await Api.PostJsonAsync("/api/agent-files", new { name = "crud-agent", description = "d", content = "You review code.", model = "opus" })).JsonAsync(HttpStatusCode.Created);
        var id = created.Str("id");

        Assert.Equal("You review code.", (await (await Api.GetAsync($"/api/agent-files/{id}")).JsonAsync(HttpStatusCode.OK)).Str("content"));
        Assert.Equal(id, (await (await Api.GetAsync("/api/agent-files/by-name/CRUD-AGENT")).JsonAsync(HttpStatusCode.OK)).Str("id"));
        Assert.Contains((await (await Api.GetAsync("/api/agent-files")).JsonAsync(HttpStatusCode.OK)).EnumerateArray(), f => f.Str("id") == id);

        var replaced = await (await Api.PutJsonAsync($"/api/agent-files/{id}", new { name = "crud-agent-2", content = "You test code." })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("crud-agent-2", replaced.Str("name"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, replaced.GetProperty("model").ValueKind);
        await (await Api.GetAsync("/api/agent-files/by-name/crud-agent")).ProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/agent-files/{id}")).StatusCode);
        await (await Api.GetAsync($"/api/agent-files/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.DeleteAsync($"/api/agent-files/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Names_are_unique_case_insensitively_and_bad_files_are_refused()
    {
        await (await Api.PostJsonAsync("/api/agent-files", new { name = "unique-agent", content = "x" })).JsonAsync(HttpStatusCode.Created);
        var other = await (await Api.PostJsonAsync("/api/agent-files", new { name = "other-agent", content = "y" })).JsonAsync(HttpStatusCode.Created);

        await (await Api.PostJsonAsync("/api/agent-files", new { name = "Unique-Agent", content = "x" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await Api.PutJsonAsync($"/api/agent-files/{other.Str("id")}", new { name = "unique-agent", content = "y" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await Api.PostJsonAsync("/api/agent-files", new { name = "../etc", content = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PostJsonAsync("/api/agent-files", new { name = "no-content" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PutJsonAsync("/api/agent-files/0123456789abcdef0123456789abcdef", new { name = "x", content = "y" })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_repo_agent_wins_over_a_platform_agent_of_the_same_name_and_bad_files_are_reported()
    {
        await (await Api.PostJsonAsync("/api/agent-files", new { name = "reviewer", content = "platform reviewer" })).JsonAsync(HttpStatusCode.Created);
        await (await Api.PostJsonAsync("/api/agent-files", new { name = "platform-only", content = "platform helper" })).JsonAsync(HttpStatusCode.Created);
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "repo-agents");
        await repo.GitAsync("checkout", "--quiet", "-b", "agents");
        await repo.CommitAsync(".lazyaf/agents/reviewer.yml", "description: Reviews like the team does\nmodel: sonnet\nprompt: |\n  repo reviewer\n", "reviewer");
        await repo.CommitAsync(".lazyaf/agents/broken.yml", "prompt: [unclosed\n", "broken");
        await repo.CommitAsync(".lazyaf/agents/typo.yml", "promt: misspelt\n", "typo");
        await repo.CommitAsync(".lazyaf/agents/notes.txt", "not an agent", "notes");
        await repo.PushAsync("agents");

        var listed = await (await Api.GetAsync($"/api/repos/{repo.Id}/lazyaf/agents?branch=agents")).JsonAsync(HttpStatusCode.OK);

        var agents = listed.GetProperty("agents").EnumerateArray().ToDictionary(a => a.Str("name"));
        Assert.Equal("repo", agents["reviewer"].Str("source"));
        Assert.Equal("repo reviewer\n", agents["reviewer"].Str("content"));
        Assert.Equal(".lazyaf/agents/reviewer.yml", agents["reviewer"].Str("path"));
        Assert.Equal("platform", agents["platform-only"].Str("source"));
        var errors = listed.GetProperty("errors").EnumerateArray().ToDictionary(e => e.Str("path"));
        Assert.Equal([".lazyaf/agents/broken.yml", ".lazyaf/agents/typo.yml"], errors.Keys.Order());
        Assert.Equal(1, errors[".lazyaf/agents/typo.yml"].GetProperty("line").GetInt32());

        // On main the repo has no agents: the platform's reviewer is the one.
        var onMain = await (await Api.GetAsync($"/api/repos/{repo.Id}/lazyaf/agents")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("platform", onMain.GetProperty("agents").EnumerateArray().Single(a => a.Str("name") == "reviewer").Str("source"));
        await (await Api.GetAsync($"/api/repos/{repo.Id}/lazyaf/agents?branch=nope")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/lazyaf/agents?branch=..bad")).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
