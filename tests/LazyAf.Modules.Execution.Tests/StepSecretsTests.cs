using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>A step gets exactly the secrets it names, from its repo or the global ones (the repo's win), and no others.</summary>
public sealed class StepSecretsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly CardRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_step_gets_the_secrets_it_names_from_its_repo_or_globally_and_the_repo_s_win()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "named-secrets");
        await SetAsync($"/api/repos/{repo.Id}/secrets/SHARED_KEY", "repo-value-1");
        await SetAsync($"/api/repos/{repo.Id}/secrets/UNNAMED_KEY", "repo-value-2");
        await SetAsync("/api/secrets/SHARED_KEY", "global-value-1");
        await SetAsync("/api/secrets/GLOBAL_ONLY_KEY", "global-value-2");

        var named = await _runs.CreateScriptCardAsync(repo.Id,
            "test \"$SHARED_KEY\" = repo-value-1 && test \"$GLOBAL_ONLY_KEY\" = global-value-2 && test -z \"${UNNAMED_KEY:-}\"",
            new { secrets = new[] { "SHARED_KEY", "GLOBAL_ONLY_KEY" } });
        var none = await _runs.CreateScriptCardAsync(repo.Id, "test -z \"${SHARED_KEY:-}${UNNAMED_KEY:-}${GLOBAL_ONLY_KEY:-}\"");

        await _runs.StartAsync(named);
        await _runs.StartAsync(none);

        Assert.Equal("in_review", (await _runs.SettledAsync(named)).Str("status"));
        Assert.Equal("in_review", (await _runs.SettledAsync(none)).Str("status"));
    }

    [Fact]
    public async Task A_step_naming_a_secret_set_nowhere_fails_before_it_runs_and_says_which()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "missing-secret");
        var card = await _runs.CreateScriptCardAsync(repo.Id, "echo ran > ran.txt", new { secrets = new[] { "NOWHERE_SET" } });

        var execution = await _runs.StartAsync(card);
        await _runs.WaitForStateAsync(execution, "failed");

        var error = (await _runs.ExecutionAsync(execution)).Str("error");
        Assert.Contains("NOWHERE_SET", error, StringComparison.Ordinal);
        Assert.Contains("set neither for repo missing-secret nor globally", error, StringComparison.Ordinal);
        var logs = await (await Api.GetAsync($"/api/executions/{execution}/logs")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("ran", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Global_secrets_are_write_only_and_bad_names_values_and_unknown_ones_are_refused()
    {
        await SetAsync("/api/secrets/WRITE_ONLY_KEY", "never-shown-again");
        await SetAsync("/api/secrets/WRITE_ONLY_KEY", "replaced-and-never-shown");

        var list = await (await Api.GetAsync("/api/secrets")).Content.ReadAsStringAsync();
        Assert.Contains("\"WRITE_ONLY_KEY\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("shown", list, StringComparison.Ordinal);

        var badName = await (await Api.PutJsonAsync("/api/secrets/1BAD", new { value = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badName.GetProperty("errors").TryGetProperty("name", out _));
        await (await Api.PutJsonAsync("/api/secrets/GOOD_NAME", new { value = "" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.DeleteAsync("/api/secrets/NEVER_SET")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync("/api/secrets/WRITE_ONLY_KEY")).StatusCode);
        Assert.DoesNotContain("WRITE_ONLY_KEY", await (await Api.GetAsync("/api/secrets")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task SetAsync(string path, string value) =>
        Assert.Equal(HttpStatusCode.NoContent, (await Api.PutJsonAsync(path, new { value })).StatusCode);
}
