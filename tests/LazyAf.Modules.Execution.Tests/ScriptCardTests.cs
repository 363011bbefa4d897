using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

public sealed class ScriptCardTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly CardRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Approve_refuses_a_branch_pushed_to_after_its_green_run_and_merges_it_once_a_retry_tested_it()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "tested-commit");
        var card = await _runs.CreateScriptCardAsync(repo.Id, "test ! -f untested.txt || cp untested.txt tested.txt; echo ok > step.txt", new { commit = true });
        await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);
        Assert.Equal("in_review", settled.Str("status"));
        var branch = settled.Str("branch_name");
        var mainBefore = await repo.RemoteShaAsync("main");
        // A push to the card's branch after the green run: nothing has run on it.
        await repo.GitAsync("fetch", "--quiet", "origin");
        await repo.GitAsync("checkout", "--quiet", "-B", "pushed", $"origin/{branch}");
        var pushed = await repo.CommitAsync("untested.txt", "never run\n", "Pushed after the run");
        await repo.PushAsync($"HEAD:{branch}");

        var refused = await (await Api.PostAsync($"/api/cards/{card}/approve", null)).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains($"{branch} moved since it was tested: it is at {pushed[..7]}", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(mainBefore, await repo.RemoteShaAsync("main"));
        Assert.Equal("in_review", (await _runs.CardAsync(card)).Str("status"));

        await _runs.StartAsync(card, "retry");
        Assert.Equal("in_review", (await _runs.SettledAsync(card)).Str("status"));
        await (await Api.PostAsync($"/api/cards/{card}/approve", null)).JsonAsync(HttpStatusCode.OK);
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("never run", await repo.GitAsync("show", "origin/main:tested.txt"));
    }

    [Fact]
    public async Task A_script_card_runs_streams_its_logs_goes_to_review_and_approves_into_main()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "script-card");
        var card = await _runs.CreateScriptCardAsync(repo.Id, "echo 'hello from the step'; echo hi > hello.txt", new { commit = true });

        var execution = await _runs.StartAsync(card);
        await using var live = await LiveClient.ConnectAsync(fixture.Host, topics: $"execution:{execution}", after: 0);
        var settled = await _runs.SettledAsync(card);

        Assert.Equal("in_review", settled.Str("status"));
        var attempt = Assert.Single(settled.GetProperty("attempts").EnumerateArray());
        Assert.Equal(execution, attempt.Str("execution_id"));
        Assert.Equal("succeeded", attempt.Str("outcome"));

        var seen = new List<JsonElement>();
        while (!seen.Any(m => m.Str("type") == "execution.updated" && m.GetProperty("payload").GetProperty("execution").Str("state") == "succeeded"))
            seen.Add(await live.NextAsync());
        Assert.Contains(seen, m => m.Str("type") == "log.appended" && m.GetProperty("payload").Str("text").Contains("hello from the step", StringComparison.Ordinal));
        Assert.Equal(["pending", "assigned", "running", "succeeded"],
            seen.Where(m => m.Str("type") == "execution.updated").Select(m => m.GetProperty("payload").GetProperty("execution").Str("state")));

        var logs = await (await Api.GetAsync($"/api/executions/{execution}/logs?follow=true")).Content.ReadAsStringAsync();
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.GetProperty("seq").GetInt64()));
        Assert.Contains(lines, l => l.Str("stream") == "stdout" && l.Str("text").Contains("hello from the step", StringComparison.Ordinal));

        var diff = await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("hello.txt", Assert.Single(diff.GetProperty("files").EnumerateArray()).Str("path"));

        await (await Api.PostAsync($"/api/cards/{card}/approve", null)).JsonAsync(HttpStatusCode.OK);
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("hi", await repo.GitAsync("show", "origin/main:hello.txt"));
        Assert.Equal("feat: Write hello", await repo.GitAsync("log", "-1", "--format=%s", $"origin/{settled.Str("branch_name")}"));
    }

    [Fact]
    public async Task A_failing_script_fails_the_card_with_the_reason_and_a_retry_continues_its_branch()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "failing-card");
        var card = await _runs.CreateScriptCardAsync(repo.Id, "if [ -f first.txt ]; then echo second > second.txt; else echo first > first.txt; exit 3; fi", new { commit = true });

        await _runs.StartAsync(card);
        var failed = await _runs.SettledAsync(card);

        Assert.Equal("failed", failed.Str("status"));
        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("3", events[events.GetArrayLength() - 1].Str("reason"), StringComparison.Ordinal);

        await _runs.StartAsync(card, "retry");
        var retried = await _runs.SettledAsync(card);

        Assert.Equal("in_review", retried.Str("status"));
        Assert.Equal(2, retried.GetProperty("attempts").GetArrayLength());
        var second = await _runs.ExecutionAsync(retried.GetProperty("attempts")[1].Str("execution_id"));
        Assert.Equal(2, second.GetProperty("attempt").GetInt32());
        Assert.Equal($"card:{card}:attempt:2", second.Str("idempotency_key"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("first", await repo.GitAsync("show", $"origin/{retried.Str("branch_name")}:first.txt"));
        Assert.Equal("second", await repo.GitAsync("show", $"origin/{retried.Str("branch_name")}:second.txt"));
    }

    [Fact]
    public async Task Failing_tests_in_a_JUnit_report_fail_the_card_with_the_counts()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "junit-card");
        const string report = """
            <testsuite name="unit" tests="3" failures="1" skipped="0">
              <testcase classname="Cart" name="adds_items"/>
              <testcase classname="Cart" name="totals"><failure message="expected 3 but was 4">at Cart.totals</failure></testcase>
              <testcase classname="Cart" name="empties"/>
            </testsuite>
            """;
        var card = await _runs.CreateScriptCardAsync(repo.Id, $"mkdir -p reports && cat > reports/junit.xml <<'XML'\n{report}\nXML");

        var execution = await _runs.StartAsync(card);
        var failed = await _runs.SettledAsync(card);

        Assert.Equal("failed", failed.Str("status"));
        var tests = (await _runs.ExecutionAsync(execution)).GetProperty("tests");
        Assert.Equal(3, tests.GetProperty("total").GetInt32());
        Assert.Equal(1, tests.GetProperty("failed").GetInt32());
        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.StartsWith("1 of 3 tests failed", events[events.GetArrayLength() - 1].Str("reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_a_running_step_kills_it_and_a_finished_execution_cannot_be_cancelled()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cancel-card");
        var card = await _runs.CreateScriptCardAsync(repo.Id, "sleep 120");
        var execution = await _runs.StartAsync(card);
        await _runs.WaitForStateAsync(execution, "running");

        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostAsync($"/api/executions/{execution}/cancel", null)).StatusCode);
        await _runs.WaitForStateAsync(execution, "cancelled");

        Assert.Equal("failed", (await _runs.SettledAsync(card)).Str("status"));
        await (await Api.PostAsync($"/api/executions/{execution}/cancel", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_step_past_its_timeout_is_killed_and_marked_timed_out()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "timeout-card");
        var card = await _runs.CreateScriptCardAsync(repo.Id, "sleep 120", new { timeout_seconds = 1 });

        var execution = await _runs.StartAsync(card);
        await _runs.WaitForStateAsync(execution, "timed_out");

        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        await _runs.SettledAsync(card);
        events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("step timed out", events[events.GetArrayLength() - 1].Str("reason"));
    }

    [Fact]
    public async Task Repo_secrets_reach_the_step_but_never_its_stored_logs_or_live_events()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "secret-card");
        const string secret = "s3cr3t-value-that-must-not-leak";
        Assert.Equal(HttpStatusCode.NoContent, (await Api.PutJsonAsync($"/api/repos/{repo.Id}/secrets/DEPLOY_TOKEN", new { value = secret })).StatusCode);
        var names = await (await Api.GetAsync($"/api/repos/{repo.Id}/secrets")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("DEPLOY_TOKEN", names[0].Str("name"));
        Assert.DoesNotContain(secret, names.ToString(), StringComparison.Ordinal);
        var card = await _runs.CreateScriptCardAsync(repo.Id,
            "echo \"token is $DEPLOY_TOKEN\"; printf '%s' \"${DEPLOY_TOKEN:0:6}\"; sleep 0.4; printf '%s\\n' \"${DEPLOY_TOKEN:6}\"; echo \"$DEPLOY_TOKEN\" >&2; test ${#DEPLOY_TOKEN} -eq 31",
            new { secrets = new[] { "DEPLOY_TOKEN" } });

        var execution = await _runs.StartAsync(card);
        Assert.Equal("in_review", (await _runs.SettledAsync(card)).Str("status"));

        var logs = await (await Api.GetAsync($"/api/executions/{execution}/logs")).Content.ReadAsStringAsync();
        Assert.Contains("token is ***", logs, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, logs, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", logs, StringComparison.Ordinal);
        await using var live = await LiveClient.ConnectAsync(fixture.Host, topics: $"execution:{execution}", after: 0);
        JsonElement message;
        var text = "";
        do
        {
            message = await live.NextAsync();
            text += message.ToString();
        }
        while (message.Str("type") != "execution.updated" || message.GetProperty("payload").GetProperty("execution").Str("state") != "succeeded");
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_repo_s_set_up_command_and_secrets_file_prepare_the_workspace_and_the_file_is_never_committed()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "prepared-card");
        await (await Api.PutJsonAsync($"/api/repos/{repo.Id}/secrets/API_TOKEN", new { value = "tok-123456" })).JsonAsync(HttpStatusCode.NoContent);
        var settings = await (await Api.PatchJsonAsync($"/api/repos/{repo.Id}", new { setup_command = "echo prepared > prepared.txt", secrets_file = ".env" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(".env", settings.Str("secrets_file"));
        var card = await _runs.CreateScriptCardAsync(repo.Id, "cat prepared.txt; grep -c '^API_TOKEN=\"tok-123456\"$' .env", new { secrets = new[] { "API_TOKEN" }, commit = true });

        var execution = await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);

        Assert.Equal("in_review", settled.Str("status"));
        var body = await (await Api.GetAsync($"/api/executions/{execution}/logs")).Content.ReadAsStringAsync();
        var logs = string.Concat(body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Str("text")));
        Assert.Contains("wrote .env (not committed)", logs, StringComparison.Ordinal);
        Assert.Contains("$ bash -e -c echo prepared > prepared.txt", logs, StringComparison.Ordinal);
        Assert.Contains("prepared\n1\n", logs, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-123456", logs, StringComparison.Ordinal);
        await repo.GitAsync("fetch", "--quiet", "origin");
        var files = await repo.GitAsync("ls-tree", "-r", "--name-only", $"origin/{settled.Str("branch_name")}");
        Assert.DoesNotContain(".env", files.Split('\n'));
        Assert.Contains("prepared.txt", files.Split('\n'));
    }

    [Fact]
    public async Task A_secrets_file_the_branch_tracks_fails_the_step_before_it_is_written()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "tracked-env");
        await repo.CommitAsync(".env", "API_TOKEN=placeholder\n", "a committed .env");
        await repo.PushAsync("main");
        await (await Api.PutJsonAsync($"/api/repos/{repo.Id}/secrets/API_TOKEN", new { value = "tok-tracked-1" })).JsonAsync(HttpStatusCode.NoContent);
        await (await Api.PatchJsonAsync($"/api/repos/{repo.Id}", new { secrets_file = ".env" })).JsonAsync(HttpStatusCode.OK);
        var card = await _runs.CreateScriptCardAsync(repo.Id, "echo ran", new { secrets = new[] { "API_TOKEN" } });

        var execution = await _runs.StartAsync(card);
        await _runs.WaitForStateAsync(execution, "failed");

        Assert.Contains("secrets_file .env is tracked in this branch", (await _runs.ExecutionAsync(execution)).Str("error"), StringComparison.Ordinal);
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.DoesNotContain("tok-tracked-1", await repo.GitAsync("log", "--all", "-p"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("echo changed > changed.txt", "in_review")]
    [InlineData("git add --force .env && git -c user.name=s -c user.email=s@x commit -qm 'add .env'", "failed")]
    public async Task A_secrets_file_re_included_by_gitignore_or_added_by_the_step_never_reaches_the_pushed_branch(string script, string status)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "reincluded-env-" + status);
        await repo.CommitAsync(".gitignore", "*.env\n!.env\n", "re-include .env");
        await repo.PushAsync("main");
        await (await Api.PutJsonAsync($"/api/repos/{repo.Id}/secrets/API_TOKEN", new { value = "tok-reincluded-1" })).JsonAsync(HttpStatusCode.NoContent);
        await (await Api.PatchJsonAsync($"/api/repos/{repo.Id}", new { secrets_file = ".env" })).JsonAsync(HttpStatusCode.OK);
        var card = await _runs.CreateScriptCardAsync(repo.Id, script, new { secrets = new[] { "API_TOKEN" }, commit = true });

        var execution = await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);

        Assert.Equal(status, settled.Str("status"));
        if (status == "failed")
            Assert.Contains("adds the repo's secrets_file (.env); the branch was not pushed", (await _runs.ExecutionAsync(execution)).Str("error"), StringComparison.Ordinal);
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.DoesNotContain("tok-reincluded-1", await repo.GitAsync("log", "--all", "-p"), StringComparison.Ordinal);
        Assert.DoesNotContain(".env", (await repo.GitAsync("log", "--all", "--name-only", "--format=")).Split('\n'));
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("/etc/passwd")]
    [InlineData(".git/config")]
    public async Task A_secrets_file_outside_the_workspace_is_refused(string path)
    {
        var repo = await fixture.Host.CreateRepoAsync("bad-secrets-file-" + Guid.NewGuid().ToString("N")[..6]);
        await (await Api.PatchJsonAsync($"/api/repos/{repo}", new { secrets_file = path })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Secrets_with_bad_names_or_values_and_of_unknown_repos_are_refused()
    {
        var repo = await fixture.Host.CreateRepoAsync("secret-bad");
        await (await Api.PutJsonAsync($"/api/repos/{repo}/secrets/1BAD", new { value = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PutJsonAsync($"/api/repos/{repo}/secrets/GOOD", new { value = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PutJsonAsync("/api/repos/0123456789abcdef0123456789abcdef/secrets/GOOD", new { value = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.DeleteAsync($"/api/repos/{repo}/secrets/MISSING")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Unknown_executions_are_404_and_bad_resume_seqs_400()
    {
        await (await Api.GetAsync("/api/executions/0123456789abcdef0123456789abcdef")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync("/api/executions/nope/logs")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PostAsync("/api/executions/0123456789abcdef0123456789abcdef/cancel", null)).ProblemAsync(HttpStatusCode.NotFound);
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "bad-seq");
        var execution = await _runs.StartAsync(await _runs.CreateScriptCardAsync(repo.Id, "true"));
        await _runs.WaitForStateAsync(execution, "succeeded");
        await (await Api.GetAsync($"/api/executions/{execution}/logs?after_seq=x")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.GetAsync($"/api/executions/{execution}/logs?after_seq=-1")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_step_runs_in_a_leased_workspace_that_is_given_back_warm_for_the_repo_when_the_execution_ends()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "leased-workspace");
        var execution = await _runs.StartAsync(await _runs.CreateScriptCardAsync(repo.Id, "echo \"where=$(pwd)\""));
        await _runs.WaitForStateAsync(execution, "succeeded");

        var logs = await (await Api.GetAsync($"/api/executions/{execution}/logs")).Content.ReadAsStringAsync();
        var where = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Str("text"))
            .Single(t => t.StartsWith("where=", StringComparison.Ordinal))["where=".Length..].Trim();
        var root = Path.Combine(fixture.Host.DataDir, "workspaces") + Path.DirectorySeparatorChar;
        Assert.StartsWith(root, where, StringComparison.Ordinal);
        var id = where[root.Length..].Split(Path.DirectorySeparatorChar)[0];
        var live = await (await Api.GetAsync("/api/workspaces")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(live.EnumerateArray(), w => w.Str("key") == $"execution:{execution}");
        // Kept, unleased, for the repo's next step (Workspaces:WarmPerRepo); the cleaner removes it when idle.
        Assert.Contains(live.EnumerateArray(), w => w.Str("id") == id && w.Str("state") == "warm");
        Assert.True(Directory.Exists(Path.Combine(root, id)));
    }
}
