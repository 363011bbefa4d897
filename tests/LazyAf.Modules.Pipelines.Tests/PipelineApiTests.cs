using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Pipelines.Tests;

/// <summary>Stored pipelines, repo files, validation over HTTP.</summary>
public sealed class PipelineApiTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Yaml = "name: stored\nsteps:\n  - id: hello\n    config: {command: 'echo \"hi $WHO\"'}\n";

    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Validate_returns_a_problem_with_every_error_and_its_line_and_column()
    {
        var problem = await (await Api.PostJsonAsync("/api/pipelines/validate", new
        {
            yaml = "name: v\nsteps:\n  - id: a\n    needs: [b]\n    config: {command: 'true'}\n  - id: b\n    needs: [ghost]\n    config: {command: 'true'}\n",
        })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("urn:lazyaf:problem:invalid-pipeline", problem.Str("type"));
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray());
        Assert.Equal((7, 13), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetInt32()));
        Assert.Contains("needs 'ghost'", error.Str("message"), StringComparison.Ordinal);

        var broken = await (await Api.PostJsonAsync("/api/pipelines/validate", new { yaml = "name: v\nsteps: [\n" })).ProblemAsync(HttpStatusCode.BadRequest);
        var syntax = Assert.Single(broken.GetProperty("errors").EnumerateArray());
        Assert.Equal(3, syntax.GetProperty("line").GetInt32());
        Assert.DoesNotContain("Idx:", syntax.Str("message"), StringComparison.Ordinal);

        var valid = await (await Api.PostJsonAsync("/api/pipelines/validate", new { definition = new { name = "j", steps = new[] { new { id = "a", config = new { command = "true" } } } } }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal("j", valid.Str("name"));
    }

    [Fact]
    public async Task A_stored_pipeline_is_created_listed_exported_updated_run_by_id_and_deleted()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "stored");
        var created = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines", new { yaml = Yaml })).JsonAsync(HttpStatusCode.Created);
        var id = created.Str("id");
        Assert.Equal(("stored", "db"), (created.Str("name"), created.Str("source")));
        await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines", new { yaml = Yaml })).ProblemAsync(HttpStatusCode.Conflict);
        await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines", new { yaml = "name: bad\n" })).ProblemAsync(HttpStatusCode.BadRequest);

        var listed = await (await Api.GetAsync($"/api/repos/{repo.Id}/pipelines")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, Assert.Single(listed.EnumerateArray()).Str("id"));
        Assert.Equal(Yaml, await Api.GetStringAsync($"/api/pipelines/{id}/export/yaml"));

        var updated = await (await Api.PutJsonAsync($"/api/pipelines/{id}", new { yaml = Yaml.Replace("hello", "greet", StringComparison.Ordinal) })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("greet", updated.GetProperty("definition").GetProperty("steps")[0].Str("id"));

        var started = await (await Api.PostJsonAsync($"/api/pipelines/{id}/run", new { @params = new Dictionary<string, string> { ["WHO"] = "there" } })).JsonAsync(HttpStatusCode.Accepted);
        var run = await _runs.SettledAsync(started.Str("id"));
        Assert.Equal(("passed", "db", "manual"), (run.Str("state"), run.Str("source"), run.Str("trigger_kind")));
        Assert.Equal(await repo.RemoteShaAsync("main"), run.Str("commit_sha"));
        Assert.Contains("hi there", await _runs.LogsAsync(run.Str("id"), "greet"), StringComparison.Ordinal);
        var runs = await (await Api.GetAsync($"/api/pipeline-runs?repo_id={repo.Id}&pipeline=stored&state=passed")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(run.Str("id"), Assert.Single(runs.EnumerateArray()).Str("id"));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/pipelines/{id}")).StatusCode);
        await (await Api.GetAsync($"/api/pipelines/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Runs_are_paged_newest_first_with_the_next_page_in_the_link_header_and_bad_page_requests_are_400()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "paged-runs");
        var id = (await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines", new { yaml = Yaml })).JsonAsync(HttpStatusCode.Created)).Str("id");
        var started = new List<string>();
        for (var i = 0; i < 3; i++)
            started.Add((await (await Api.PostJsonAsync($"/api/pipelines/{id}/run", new { @params = new Dictionary<string, string> { ["WHO"] = $"run {i}" } })).JsonAsync(HttpStatusCode.Accepted)).Str("id"));

        var seen = new List<string>();
        string? next = $"/api/pipeline-runs?repo_id={repo.Id}&limit=1";
        while (next is not null)
        {
            Assert.Contains($"repo_id={repo.Id}", next, StringComparison.Ordinal);
            var response = await Api.GetAsync(next);
            seen.AddRange((await response.JsonAsync(HttpStatusCode.OK)).EnumerateArray().Select(r => r.Str("id")));
            next = response.Headers.TryGetValues("Link", out var links) && Assert.Single(links) is var link
                ? link[(link.IndexOf('<') + 1)..link.IndexOf('>')]
                : null;
        }
        Assert.Equal(Enumerable.Reverse(started), seen);

        foreach (var query in new[] { "limit=0", "limit=x", "cursor=bogus!" })
            await (await Api.GetAsync($"/api/pipeline-runs?repo_id={repo.Id}&{query}")).ProblemAsync(HttpStatusCode.BadRequest);
        foreach (var run in started)
            await _runs.SettledAsync(run);
    }

    [Fact]
    public async Task Repo_files_are_listed_per_branch_invalid_ones_with_their_errors_and_a_file_hides_a_stored_pipeline()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "files");
        await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines", new { yaml = Yaml })).JsonAsync(HttpStatusCode.Created);
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        await repo.CommitAsync(".lazyaf/pipelines/broken.yml", "name: broken\nsteps:\n  - id: a\n    typo: 1\n", "broken");
        await PipelineRuns.CommitPipelineAsync(repo, "stored", "steps:\n  - id: from-file\n    config: {command: 'true'}\n", "feature");

        var files = await (await Api.GetAsync($"/api/repos/{repo.Id}/lazyaf/pipelines?branch=feature")).JsonAsync(HttpStatusCode.OK);
        var broken = files.EnumerateArray().Single(f => f.Str("name") == "broken");
        Assert.False(broken.GetProperty("valid").GetBoolean());
        var typo = broken.GetProperty("errors").EnumerateArray().Single(e => e.Str("message").StartsWith("unknown key 'typo'", StringComparison.Ordinal));
        Assert.Equal((4, 5), (typo.GetProperty("line").GetInt32(), typo.GetProperty("column").GetInt32()));
        Assert.Empty((await (await Api.GetAsync($"/api/repos/{repo.Id}/lazyaf/pipelines?branch=main")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());

        var run = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "stored", new { branch = "feature" }));
        Assert.Equal(("passed", "repo"), (run.Str("state"), run.Str("source")));
        Assert.Equal("from-file", Assert.Single(run.GetProperty("steps").EnumerateArray()).Str("id"));
        await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines/nope/run", new { })).ProblemAsync(HttpStatusCode.NotFound);
    }
}
