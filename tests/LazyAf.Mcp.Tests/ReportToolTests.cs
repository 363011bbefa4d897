using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary>The report tools over a real run whose step writes a JUnit report and keeps an artifact.</summary>
public sealed class ReportToolTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Pipeline = """
        name: ci
        steps:
          - id: test
            config:
              command: |
                mkdir -p reports out
                echo built > out/app.txt
                {
                  echo '<testsuite name="cart" tests="2" failures="1">'
                  echo '<testcase classname="Cart" name="adds_items"/>'
                  echo '<testcase classname="Cart" name="totals_include_tax"><failure message="expected 10.70 but was 10.00">at cart.test.js:42</failure></testcase>'
                  echo '</testsuite>'
                } > reports/junit.xml
                exit 1
            artifacts: ["out/*"]
        """;

    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_run_s_tests_their_history_and_its_artifacts_are_read_through_the_report_tools()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "mcp-reports");
        await repo.CommitAsync(".lazyaf/pipelines/ci.yml", Pipeline, "ci");
        await repo.PushAsync("main");
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);
        var started = (await client.CallAsync("run_pipeline", new() { ["repo"] = "mcp-reports", ["pipeline"] = "ci" })).Ok();
        var run = Regex.Match(started, "^pipeline run ([0-9a-f]{32}) ").Groups[1].Value;
        (await client.CallAsync("wait", new() { ["kind"] = "pipeline_run", ["id"] = run, ["timeout_seconds"] = 120 })).Ok();
        var execution = PipelineRuns.Step(await (await fixture.Host.Client.GetAsync($"/api/pipeline-runs/{run}")).JsonAsync(HttpStatusCode.OK), "test").Str("execution_id");

        var tests = JsonNode.Parse((await client.CallAsync("list_tests", new() { ["repo"] = "mcp-reports" })).Ok())!.AsArray();
        var failing = tests.Single(t => t!["name"]!.GetValue<string>().Contains("totals_include_tax", StringComparison.Ordinal))!;
        Assert.Equal((1, 1), (failing["runs"]!.GetValue<int>(), failing["failed"]!.GetValue<int>()));
        Assert.Equal(2, tests.Count);
        var history = JsonNode.Parse((await client.CallAsync("get_test_history", new() { ["repo"] = "mcp-reports", ["test"] = failing["name"]!.GetValue<string>() })).Ok())!;
        var result = history["results"]![0]!;
        Assert.Equal((execution, run, "failed"), (result["execution_id"]!.GetValue<string>(), result["run_id"]!.GetValue<string>(), result["outcome"]!.GetValue<string>()));
        Assert.Contains("expected 10.70 but was 10.00", result["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var artifacts = JsonNode.Parse((await client.CallAsync("list_artifacts", new() { ["execution_id"] = execution })).Ok())!.AsArray();
        Assert.Equal(["out/app.txt"], artifacts.Select(a => a!["name"]!.GetValue<string>()));

        var unknown = (await client.CallAsync("get_test_history", new() { ["repo"] = "mcp-reports", ["test"] = "No.such_test" })).Error();
        Assert.StartsWith("LazyAF answered 404 Not Found to GET /api/repos/", unknown, StringComparison.Ordinal);
        Assert.Contains("No.such_test", unknown, StringComparison.Ordinal);
    }
}
