using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Reports.Tests;

/// <summary>
/// Acceptance 1: a real C project's CTest suite (JUnit via <c>--output-junit</c>) run three times on one commit with one
/// test made to flip is flagged flaky; quarantined, its failure no longer fails the run, and the run says so.
/// </summary>
public sealed class FlakyCTestTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_CTest_test_that_flips_on_one_commit_is_flaky_and_once_quarantined_its_failure_no_longer_fails_the_run()
    {
        var repo = await SeedAsync("flaky-ctest");
        var commit = await repo.RemoteShaAsync("main");

        var first = await RunAsync(repo, flip: false);
        var second = await RunAsync(repo, flip: true);
        var third = await RunAsync(repo, flip: false);

        Assert.Equal(["passed", "failed", "passed"], new[] { first.Str("state"), second.Str("state"), third.Str("state") });
        Assert.All(new[] { first, second, third }, run => Assert.Equal(commit, run.Str("commit_sha")));
        // The run that failed it already shows it flaky: it had passed on this very commit.
        var secondTests = PipelineRuns.Step(second, "test").GetProperty("tests");
        Assert.Equal(["mul.mul"], Names(secondTests, "flaky"));
        Assert.Equal(["mul.mul"], Names(PipelineRuns.Step(third, "test").GetProperty("tests"), "flaky"));

        var flaky = await (await Api.GetAsync($"/api/repos/{repo.Id}/tests?flaky=true")).JsonAsync(HttpStatusCode.OK);
        var mul = Assert.Single(flaky.EnumerateArray());
        Assert.Equal("mul.mul", mul.Str("name"));
        Assert.True(mul.GetProperty("flaky").GetBoolean());
        Assert.StartsWith($"passed and failed on commit {commit![..12]}", mul.Str("flaky_reason"), StringComparison.Ordinal);
        Assert.Equal((3, 2, 1), (mul.GetProperty("runs").GetInt32(), mul.GetProperty("passed").GetInt32(), mul.GetProperty("failed").GetInt32()));
        Assert.Equal(["passed", "failed", "passed"], mul.GetProperty("recent").EnumerateArray().Select(o => o.GetString()!).ToArray());

        var all = await (await Api.GetAsync($"/api/repos/{repo.Id}/tests")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["mul.mul", "add.add", "sub.sub"], all.EnumerateArray().Select(t => t.Str("name")).ToArray());
        Assert.All(all.EnumerateArray().Skip(1), t => Assert.Equal((3, 1.0, false), (t.GetProperty("runs").GetInt32(), t.GetProperty("pass_rate").GetDouble(), t.GetProperty("flaky").GetBoolean())));

        var dashboard = await (await Api.GetAsync($"/api/repos/{repo.Id}/dashboard")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("mul.mul", Assert.Single(dashboard.GetProperty("flakiest_tests").EnumerateArray()).Str("name"));

        var quarantined = await (await Api.PutJsonAsync($"/api/repos/{repo.Id}/quarantine/mul.mul", new { reason = "flips under FLIP" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("owner", quarantined.Str("quarantined_by"));

        var fourth = await RunAsync(repo, flip: true);

        Assert.Equal("passed", fourth.Str("state"));
        var fourthTests = PipelineRuns.Step(fourth, "test").GetProperty("tests");
        Assert.Equal((3, 1), (fourthTests.GetProperty("total").GetInt32(), fourthTests.GetProperty("failed").GetInt32()));
        Assert.Equal(["mul.mul"], Names(fourthTests, "quarantined"));
        Assert.Equal(["mul.mul"], Names(fourth.GetProperty("tests"), "quarantined"));

        var history = await (await Api.GetAsync($"/api/repos/{repo.Id}/tests/mul.mul")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["failed", "passed", "failed", "passed"], history.GetProperty("results").EnumerateArray().Select(r => r.Str("outcome")).ToArray());
        var newest = history.GetProperty("results")[0];
        Assert.Equal(("ctest", "test", "main", commit), (newest.Str("pipeline"), newest.Str("step"), newest.Str("branch"), newest.Str("commit_sha")));
        Assert.Equal(fourth.Str("id"), newest.Str("run_id"));
        Assert.Equal("owner", history.GetProperty("test").GetProperty("quarantine").Str("by"));
    }

    [Fact]
    public async Task Quarantine_and_release_are_audited_with_who_did_them_and_a_released_test_fails_again()
    {
        var repo = await SeedAsync("quarantine-audit");
        var request = new HttpRequestMessage(HttpMethod.Put, $"/api/repos/{repo.Id}/quarantine/mul.mul") { Content = JsonContent(new { reason = "investigating" }) };
        request.Headers.Add("X-LazyAF-Actor", "cli");
        (await Api.SendAsync(request)).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/repos/{repo.Id}/quarantine/mul.mul")).StatusCode);

        var audit = await (await Api.GetAsync($"/api/repos/{repo.Id}/quarantine/audit")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([("released", "owner"), ("quarantined", "owner via cli")], audit.EnumerateArray().Select(a => (a.Str("action"), a.Str("actor"))).ToArray());
        Assert.Empty((await (await Api.GetAsync($"/api/repos/{repo.Id}/quarantine")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        await (await Api.DeleteAsync($"/api/repos/{repo.Id}/quarantine/mul.mul")).ProblemAsync(HttpStatusCode.NotFound);

        var run = await RunAsync(repo, flip: true);

        Assert.Equal("failed", run.Str("state"));
        Assert.False(PipelineRuns.Step(run, "test").GetProperty("tests").TryGetProperty("quarantined", out var none) && none.ValueKind == JsonValueKind.Array);
    }

    [Fact]
    public async Task Bad_requests_are_problems_and_unknown_repos_and_tests_are_not_found()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "reports-bad-input");

        await (await Api.GetAsync("/api/repos/nope/tests")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/tests/never.ran")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/repos/{repo.Id}/tests?limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PutJsonAsync($"/api/repos/{repo.Id}/quarantine/{new string('x', 1001)}", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PutJsonAsync($"/api/repos/{repo.Id}/quarantine/a", new { reason = new string('r', 501) })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PutJsonAsync("/api/repos/nope/quarantine/a", new { })).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await Api.GetAsync($"/api/repos/{repo.Id}/tests")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    private static StringContent JsonContent(object body) =>
        new(JsonSerializer.Serialize(body, LazyAfHost.Json), System.Text.Encoding.UTF8, "application/json");

    private static string[] Names(JsonElement tests, string property) =>
        tests.TryGetProperty(property, out var names) && names.ValueKind == JsonValueKind.Array ? [.. names.EnumerateArray().Select(n => n.GetString()!)] : [];

    private async Task<JsonElement> RunAsync(SeededRepo repo, bool flip) =>
        await _runs.SettledAsync(
            await _runs.RunAsync(repo.Id, "ctest", flip ? new { @params = new Dictionary<string, string> { ["FLIP"] = "1" } } : null), timeoutSeconds: 180);

    private async Task<SeededRepo> SeedAsync(string name)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, name);
        // The flip: mul fails whenever the run's FLIP parameter is set, on the same commit.
        await CMakeCalcProject.CommitAsync(repo, mulHolds: "mul(4, 3) == 12 && !getenv(\"FLIP\")");
        return repo;
    }
}
