using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// What a script step commits: nothing unless it sets <c>commit</c>, only the listed paths with a list, everything with
/// <c>true</c>; the step's log says which files went in and which were left out.
/// </summary>
public sealed class StepCommitTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    // A real build: a C program compiled to a binary, and a report beside it.
    private const string Build = "printf 'int main(void) { return 0; }\\n' > main.c && cc -o app main.c && ./app && echo 'all good' > report.txt";

    private readonly TempDir _work = new();
    private readonly CardRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_script_step_without_commit_leaves_the_branch_alone_and_says_what_it_left_out()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "no-commit");
        var main = await repo.RemoteShaAsync("main");

        var (card, execution, branch) = await RunAsync(repo, null);

        Assert.Equal(main, await repo.RemoteShaAsync(branch));
        Assert.Empty((await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK)).GetProperty("files").EnumerateArray());
        Assert.Contains("nothing committed: the step's commit is unset or false (3 files changed left out: app, main.c, report.txt)",
            await SystemLogAsync(execution), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_step_with_commit_paths_commits_only_those_and_names_them()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "commit-paths");

        var (card, execution, branch) = await RunAsync(repo, new[] { "report.txt" });

        Assert.Equal(["report.txt"], await DiffAsync(card));
        var sha = await repo.RemoteShaAsync(branch);
        Assert.Contains($"committed 1 file as {sha![..12]}: report.txt (2 files changed left out: app, main.c)", await SystemLogAsync(execution), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_script_step_with_commit_true_commits_everything_it_changed()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "commit-all");

        var (card, execution, branch) = await RunAsync(repo, true);

        Assert.Equal(["app", "main.c", "report.txt"], await DiffAsync(card));
        var sha = await repo.RemoteShaAsync(branch);
        Assert.Contains($"committed 3 files as {sha![..12]}: app, main.c, report.txt", await SystemLogAsync(execution), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_glob_or_directory_in_commit_covers_the_files_it_matches_and_deletions_count()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "commit-globs");

        var card = await _runs.CreateScriptCardAsync(repo.Id, "mkdir -p docs/api out && echo a > docs/api/a.md && echo b > out/b.json && echo c > out/c.bin && git rm -q README.md",
            new { commit = new[] { "docs", "out/*.json", "README.md" } });
        await _runs.StartAsync(card);
        Assert.Equal("in_review", (await _runs.SettledAsync(card)).Str("status"));

        Assert.Equal(["README.md", "docs/api/a.md", "out/b.json"], await DiffAsync(card));
    }

    [Theory]
    [InlineData("[\"../x\"]")]
    [InlineData("[\"/etc/passwd\"]")]
    [InlineData("\"yes\"")]
    [InlineData("[1]")]
    public async Task A_commit_path_outside_the_repo_or_not_a_path_is_refused_naming_the_field(string commit)
    {
        var repo = await fixture.Host.CreateRepoAsync("bad-commit-" + Guid.NewGuid().ToString("N")[..6]);
        var json = """{"title": "t", "step_type": "script", "step_config": {"command": "true", "commit": """ + commit + "}}";
        using var body = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

        var problem = await (await Api.PostAsync($"/api/repos/{repo}/cards", body)).ProblemAsync(HttpStatusCode.BadRequest);

        var errors = problem.GetProperty("errors").GetProperty("step_config.commit");
        Assert.Contains("step_config.commit must be true, false or a list", errors[0].GetString(), StringComparison.Ordinal);
    }

    private async Task<(string Card, string Execution, string Branch)> RunAsync(SeededRepo repo, object? commit)
    {
        var card = await _runs.CreateScriptCardAsync(repo.Id, Build, commit is null ? null : new { commit });
        var execution = await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);
        Assert.Equal("in_review", settled.Str("status"));
        return (card, execution, settled.Str("branch_name"));
    }

    private async Task<string[]> DiffAsync(string card) =>
        [.. (await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK)).GetProperty("files").EnumerateArray().Select(f => f.Str("path")).Order(StringComparer.Ordinal)];

    private async Task<string> SystemLogAsync(string execution)
    {
        var body = await Api.GetStringAsync($"/api/executions/{execution}/logs");
        return string.Concat(body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)
            .Where(c => c.Str("stream") == "system").Select(c => c.Str("text")));
    }
}
