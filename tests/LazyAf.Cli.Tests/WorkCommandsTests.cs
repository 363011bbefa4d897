using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// The commands that were API-only: cancelling executions and runs, a card's diff, editing, deleting and blocking cards,
/// approvals, secrets and deleting webhooks, against a real host that runs script steps.
/// </summary>
public sealed class WorkCommandsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Unknown = "0123456789abcdef0123456789abcdef";

    private readonly TempDir _work = new();
    private readonly LazyAfHost _host = fixture.Host;
    private readonly LazyafCli _cli = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Execution_cancel_kills_a_running_step_and_refuses_an_unknown_or_finished_one()
    {
        var (_, card) = await ScriptCardAsync("echo started; sleep 300");
        var execution = Lines((await _cli.RunAsync(_work.Path, "card", "start", card)).AssertSucceeded().Output)[0];
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/executions/{execution}")).Str("state") == "running",
            async () => (await GetAsync($"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));

        var cancelled = (await _cli.RunAsync(_work.Path, "execution", "cancel", execution)).AssertSucceeded();

        Assert.Contains(execution, cancelled.Output, StringComparison.Ordinal);
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/executions/{execution}")).Str("state") == "cancelled",
            async () => (await GetAsync($"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));
        var again = (await _cli.RunAsync(_work.Path, "execution", "cancel", execution)).AssertFailedWithOneLine();
        Assert.Contains("already ended cancelled", again, StringComparison.Ordinal);
        Assert.Equal($"lazyaf: no execution '{Unknown}'", (await _cli.RunAsync(_work.Path, "execution", "cancel", Unknown)).AssertFailedWithOneLine());
        var shown = JsonDocument.Parse((await _cli.RunAsync(_work.Path, "execution", "show", execution, "--json")).AssertSucceeded().Output).RootElement;
        Assert.Equal((execution, "cancelled"), (shown.Str("id"), shown.Str("state")));
    }

    [Fact]
    public async Task Card_cancel_kills_the_running_attempt_and_refuses_a_card_that_runs_nothing_or_is_unknown()
    {
        var (repo, card) = await ScriptCardAsync("echo started; sleep 300");
        var idle = await CreateCardAsync(repo.Name, "Idle", "true");
        var execution = Lines((await _cli.RunAsync(_work.Path, "card", "start", card)).AssertSucceeded().Output)[0];
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/executions/{execution}")).Str("state") == "running",
            async () => (await GetAsync($"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));

        var cancelled = (await _cli.RunAsync(_work.Path, "card", "cancel", card[..12])).AssertSucceeded();

        Assert.Matches($"^Cancell(ed|ing) attempt 1 of card {card} \\(execution {execution}\\)", cancelled.Output.Trim());
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/executions/{execution}")).Str("state") == "cancelled",
            async () => (await GetAsync($"/api/executions/{execution}")).ToString(), TimeSpan.FromSeconds(60));
        Assert.Contains($"Card {idle} is todo and runs nothing to cancel",
            (await _cli.RunAsync(_work.Path, "card", "cancel", idle)).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal($"lazyaf: no card '{Unknown}'", (await _cli.RunAsync(_work.Path, "card", "cancel", Unknown)).AssertFailedWithOneLine());
        Assert.Equal(2, (await _cli.RunAsync(_work.Path, "card", "cancel")).ExitCode);
    }

    [Fact]
    public async Task Run_cancel_ends_a_running_pipeline_run_and_refuses_an_unknown_one()
    {
        var repo = await SeededAsync();
        await (await _host.Client.PostJsonAsync($"/api/repos/{repo.Id}/pipelines",
            new { yaml = "name: slow\nsteps:\n  - id: wait\n    config: {command: \"sleep 300\"}\n" })).JsonAsync(HttpStatusCode.Created);
        var run = Lines((await _cli.RunAsync(_work.Path, "pipeline", "run", repo.Name, "slow")).AssertSucceeded().Output)[0];
        await Eventually.HoldsAsync(async () => (await GetAsync($"/api/pipeline-runs/{run}")).GetProperty("steps")[0].Str("state") == "running",
            async () => (await GetAsync($"/api/pipeline-runs/{run}")).ToString(), TimeSpan.FromSeconds(60));

        var cancelled = (await _cli.RunAsync(_work.Path, "run", "cancel", run)).AssertSucceeded();

        Assert.Equal($"Cancelled slow run {run}; it is cancelled", cancelled.Output.Trim());
        Assert.Equal("cancelled", (await GetAsync($"/api/pipeline-runs/{run}")).Str("state"));
        Assert.Contains("already ended cancelled", (await _cli.RunAsync(_work.Path, "run", "cancel", run)).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal($"lazyaf: no pipeline run '{Unknown}'", (await _cli.RunAsync(_work.Path, "run", "cancel", Unknown)).AssertFailedWithOneLine());
    }

    [Fact]
    public async Task Card_diff_shows_the_branch_s_patch_its_stat_and_json_and_refuses_a_card_without_a_branch()
    {
        var repo = await SeededAsync();
        var card = Lines((await _cli.RunAsync(_work.Path, "card", "create", repo.Name, "--title", "Greet", "--script", "printf 'hello\\n' > greeting.txt", "--commit")).AssertSucceeded().Output)[0];
        var todo = await CreateCardAsync(repo.Name, "Not started", "true");
        (await _cli.RunAsync(_work.Path, "card", "start", card, "-f")).AssertExitedZero();

        var patch = (await _cli.RunAsync(_work.Path, "card", "diff", card)).AssertSucceeded().Output;
        var stat = Lines((await _cli.RunAsync(_work.Path, "card", "diff", card, "--stat")).AssertSucceeded().Output);
        var json = JsonDocument.Parse((await _cli.RunAsync(_work.Path, "card", "diff", card, "--json")).AssertSucceeded().Output).RootElement;

        Assert.Contains("+++ b/greeting.txt", patch, StringComparison.Ordinal);
        Assert.Contains("\n+hello\n", patch, StringComparison.Ordinal);
        Assert.Equal(["added", "1", "0", "greeting.txt"], Cells(stat[1]));
        Assert.Equal("1 files, +1 -0", stat[^1]);
        var file = Assert.Single(json.GetProperty("files").EnumerateArray());
        Assert.Equal(("greeting.txt", 1), (file.Str("path"), file.GetProperty("additions").GetInt32()));
        Assert.Contains("start it first", (await _cli.RunAsync(_work.Path, "card", "diff", todo)).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal($"lazyaf: no card '{Unknown}'", (await _cli.RunAsync(_work.Path, "card", "diff", Unknown)).AssertFailedWithOneLine());
    }

    [Fact]
    public async Task Card_edit_changes_only_the_fields_given_and_refuses_nothing_to_change_or_an_unknown_card()
    {
        var repo = await SeededAsync();
        var card = await CreateCardAsync(repo.Name, "Old title", "true");

        var edited = (await _cli.RunAsync(_work.Path, "card", "edit", card, "--title", "New title", "--description", "Now with words.",
            "--requires", "linux", "--auto-start", "true")).AssertSucceeded();

        Assert.Equal($"Edited New title ({card})", edited.Output.Trim());
        var shown = await GetAsync($"/api/cards/{card}");
        Assert.Equal(("New title", "Now with words.", true), (shown.Str("title"), shown.Str("description"), shown.GetProperty("auto_start").GetBoolean()));
        Assert.Equal(["linux"], shown.GetProperty("requires").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("true", shown.GetProperty("step_config").Str("command"));
        Assert.Contains("nothing to change", (await _cli.RunAsync(_work.Path, "card", "edit", card)).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal($"lazyaf: no card '{Unknown}'", (await _cli.RunAsync(_work.Path, "card", "edit", Unknown, "--title", "x")).AssertFailedWithOneLine());
        (await _cli.RunAsync(_work.Path, "card", "edit", card, "--no-requires")).AssertSucceeded();
        Assert.Empty((await GetAsync($"/api/cards/{card}")).GetProperty("requires").EnumerateArray());
    }

    [Fact]
    public async Task Card_delete_removes_the_card_and_an_unknown_card_fails_in_one_line()
    {
        var repo = await SeededAsync();
        var card = await CreateCardAsync(repo.Name, "Doomed", "true");

        var deleted = (await _cli.RunAsync(_work.Path, "card", "delete", card)).AssertSucceeded();

        Assert.Equal($"Deleted Doomed ({card})", deleted.Output.Trim());
        Assert.Equal(HttpStatusCode.NotFound, (await _host.Client.GetAsync($"/api/cards/{card}")).StatusCode);
        Assert.Equal($"lazyaf: no card '{card}'", (await _cli.RunAsync(_work.Path, "card", "delete", card)).AssertFailedWithOneLine());
    }

    [Fact]
    public async Task Card_block_and_unblock_add_and_remove_blockers_and_refuse_a_cycle_and_an_unknown_blocker()
    {
        var repo = await SeededAsync();
        var (first, second, third) = (await CreateCardAsync(repo.Name, "First", "true"), await CreateCardAsync(repo.Name, "Second", "true"),
            await CreateCardAsync(repo.Name, "Third", "true"));

        var blocked = (await _cli.RunAsync(_work.Path, "card", "block", third, first, second)).AssertSucceeded();

        Assert.StartsWith($"Third ({third}) waits for: ", blocked.Output, StringComparison.Ordinal);
        Assert.Equal(new[] { first, second }.Order(), Blockers(await GetAsync($"/api/cards/{third}")).Order());
        Assert.Contains("cycle", (await _cli.RunAsync(_work.Path, "card", "block", first, third)).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Contains("Transition not allowed", (await _cli.RunAsync(_work.Path, "card", "start", third)).AssertFailedWithOneLine(), StringComparison.Ordinal);

        // Ids made at the same moment begin alike; the last 8 characters (the card branch's suffix) tell them apart.
        var unblocked = (await _cli.RunAsync(_work.Path, "card", "unblock", third, first[^8..])).AssertSucceeded();

        Assert.Equal($"Third ({third}) no longer waits for {first}", unblocked.Output.Trim());
        Assert.Equal([second], Blockers(await GetAsync($"/api/cards/{third}")));
        Assert.Contains("is not blocked by", (await _cli.RunAsync(_work.Path, "card", "unblock", third, first)).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal($"lazyaf: no card '{Unknown}'", (await _cli.RunAsync(_work.Path, "card", "block", third, Unknown)).AssertFailedWithOneLine());
    }

    [Fact]
    public async Task Execution_approvals_lists_none_for_a_script_step_and_answering_an_unknown_request_fails_in_one_line()
    {
        var (_, card) = await ScriptCardAsync("true");
        var execution = Lines((await _cli.RunAsync(_work.Path, "card", "start", card, "-f")).AssertExitedZero().Output)[0];

        var listed = (await _cli.RunAsync(_work.Path, "execution", "approvals", execution)).AssertSucceeded();
        var json = (await _cli.RunAsync(_work.Path, "execution", "approvals", execution, "--json")).AssertSucceeded();

        Assert.Equal($"execution {execution} has asked for no approvals", listed.Output.Trim());
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(json.Output).RootElement.ValueKind);
        Assert.Empty(JsonDocument.Parse(json.Output).RootElement.EnumerateArray());
        Assert.Equal($"lazyaf: execution {execution} has no approval request 'toolu_1'",
            (await _cli.RunAsync(_work.Path, "execution", "allow", execution, "toolu_1")).AssertFailedWithOneLine());
        Assert.Equal($"lazyaf: no execution '{Unknown}'",
            (await _cli.RunAsync(_work.Path, "execution", "deny", Unknown, "toolu_1", "-m", "no")).AssertFailedWithOneLine());
        Assert.Equal($"lazyaf: no execution '{Unknown}'", (await _cli.RunAsync(_work.Path, "execution", "approvals", Unknown)).AssertFailedWithOneLine());
    }

    [Fact]
    public async Task Secrets_of_a_repo_and_global_ones_are_set_listed_without_values_and_deleted()
    {
        var repo = await SeededAsync();
        var global = "G_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

        (await _cli.RunAsync(_work.Path, "secret", "set", "DEPLOY_KEY", "--repo", repo.Name, "--value", "hunter2")).AssertSucceeded();
        (await _cli.RunAsync(_work.Path, "secret", "set", global, "--value", "s3cret")).AssertSucceeded();
        var listed = (await _cli.RunAsync(_work.Path, "secret", "list", "--repo", repo.Name)).AssertSucceeded();
        var json = JsonDocument.Parse((await _cli.RunAsync(_work.Path, "secret", "list", "--repo", repo.Name, "--json")).AssertSucceeded().Output).RootElement;
        var globals = (await _cli.RunAsync(_work.Path, "secret", "list")).AssertSucceeded();

        Assert.Equal("DEPLOY_KEY", Cells(Lines(listed.Output)[1])[0]);
        Assert.DoesNotContain("hunter2", listed.Output + json, StringComparison.Ordinal);
        Assert.Equal(["DEPLOY_KEY"], json.EnumerateArray().Select(s => s.Str("name")));
        Assert.Contains(global, globals.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DEPLOY_KEY", globals.Output, StringComparison.Ordinal);

        (await _cli.RunAsync(_work.Path, "secret", "delete", "DEPLOY_KEY", "--repo", repo.Name)).AssertSucceeded();
        (await _cli.RunAsync(_work.Path, "secret", "delete", global)).AssertSucceeded();
        Assert.Equal($"{repo.Name} has no secrets", (await _cli.RunAsync(_work.Path, "secret", "list", "--repo", repo.Name)).AssertSucceeded().Output.Trim());
        Assert.Contains("has no secret 'DEPLOY_KEY'", (await _cli.RunAsync(_work.Path, "secret", "delete", "DEPLOY_KEY", "--repo", repo.Name)).AssertFailedWithOneLine(),
            StringComparison.Ordinal);
        Assert.Contains("name", (await _cli.RunAsync(_work.Path, "secret", "set", "not-a-name", "--value", "x")).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal("lazyaf: no repo named 'nope' (lazyaf repos lists them)",
            (await _cli.RunAsync(_work.Path, "secret", "list", "--repo", "nope")).AssertFailedWithOneLine());
    }

    [Fact]
    public async Task Webhook_delete_takes_an_id_prefix_and_an_unknown_webhook_fails_in_one_line()
    {
        var repo = await SeededAsync();
        await (await _host.Client.PostJsonAsync($"/api/repos/{repo.Id}/pipelines",
            new { yaml = "name: deploy\nsteps:\n  - id: go\n    config: {command: \"true\"}\n" })).JsonAsync(HttpStatusCode.Created);
        (await _cli.RunAsync(_work.Path, "webhook", "add", repo.Name, "deploy")).AssertSucceeded();
        var id = (await GetAsync($"/api/repos/{repo.Id}/webhooks"))[0].Str("id");

        var deleted = (await _cli.RunAsync(_work.Path, "webhook", "delete", repo.Name, id[..6])).AssertSucceeded();

        Assert.Equal($"Deleted webhook {id} of {repo.Name}", deleted.Output.Trim());
        Assert.Empty((await GetAsync($"/api/repos/{repo.Id}/webhooks")).EnumerateArray());
        Assert.Equal($"lazyaf: {repo.Name} has no webhook '{id}' (lazyaf webhook list {repo.Name} lists them)",
            (await _cli.RunAsync(_work.Path, "webhook", "delete", repo.Name, id)).AssertFailedWithOneLine());
    }

    private static string[] Blockers(JsonElement card) => [.. card.GetProperty("blocked_by").EnumerateArray().Select(b => b.Str("id"))];

    private async Task<(string Id, string Name)> SeededAsync()
    {
        var name = "r" + Guid.NewGuid().ToString("N")[..10];
        var repo = await SeededRepo.CreateAsync(_host, _work, name);
        return (repo.Id, name);
    }

    private async Task<((string Id, string Name) Repo, string Card)> ScriptCardAsync(string script)
    {
        var repo = await SeededAsync();
        return (repo, await CreateCardAsync(repo.Name, "Script", script));
    }

    private async Task<string> CreateCardAsync(string repo, string title, string script) =>
        Lines((await _cli.RunAsync(_work.Path, "card", "create", repo, "--title", title, "--script", script)).AssertSucceeded().Output)[0];

    private async Task<JsonElement> GetAsync(string path) => await (await _host.Client.GetAsync(path)).JsonAsync(HttpStatusCode.OK);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
