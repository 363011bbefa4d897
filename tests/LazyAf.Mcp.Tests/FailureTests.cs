using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary>
/// What a model gets when something failed or its call was wrong: a failing pipeline run summed up small enough for
/// its context, and bad calls answered as tool errors that carry the API's own message.
/// </summary>
public sealed class FailureTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Unknown = "0123456789abcdef0123456789abcdef";

    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    /// <summary>A test step whose JUnit report has one failure among 40 passes, after a lot of output.</summary>
    private const string FailingPipeline = """
        name: ci
        steps:
          - id: build
            config:
              command: echo built
          - id: test
            needs: [build]
            config:
              command: |
                for i in $(seq 1 3000); do echo "test output line $i: all is well so far"; done
                mkdir -p reports
                {
                  echo '<testsuite name="cart" tests="41" failures="1">'
                  for i in $(seq 1 40); do echo "<testcase classname=\"Cart\" name=\"passes_$i\"/>"; done
                  echo '<testcase classname="Cart" name="totals_include_tax"><failure message="expected 10.70 but was 10.00">at Cart.totals_include_tax (cart.test.js:42)</failure></testcase>'
                  echo '</testsuite>'
                } > reports/junit.xml
                echo "FAIL Cart.totals_include_tax: expected 10.70 but was 10.00" >&2
                exit 1
        """;

    [Theory]
    [InlineData(McpTransport.Http)]
    [InlineData(McpTransport.Stdio)]
    public async Task A_failing_run_is_summed_up_in_under_2000_characters_naming_the_failing_test_and_its_message(McpTransport transport)
    {
        var name = $"fails-{transport}".ToLowerInvariant();
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, name);
        await repo.CommitAsync(".lazyaf/pipelines/ci.yml", FailingPipeline, "ci");
        await repo.PushAsync("main");
        await using var client = await McpSessions.ConnectAsync(fixture.Host, transport);

        var started = (await client.CallAsync("run_pipeline", new() { ["repo"] = name, ["pipeline"] = "ci" })).Ok();
        var run = System.Text.RegularExpressions.Regex.Match(started, "^pipeline run ([0-9a-f]{32}) ").Groups[1].Value;
        var waited = (await client.CallAsync("wait", new() { ["kind"] = "pipeline_run", ["id"] = run, ["timeout_seconds"] = 120 })).Ok();
        Assert.StartsWith($"pipeline_run {run} is failed after ", waited, StringComparison.Ordinal);

        var summary = (await client.CallAsync("get_failure_summary", new() { ["run_id"] = run })).Ok();

        Assert.True(summary.Length < 2_000, $"{summary.Length} characters:\n{summary}");
        Assert.Contains("step 'test' (script), attempt 1: failed (exit code 1)\n", summary, StringComparison.Ordinal);
        Assert.Contains("tests: 1 of 41 failed", summary, StringComparison.Ordinal);
        Assert.Contains("- Cart.totals_include_tax: expected 10.70 but was 10.00", summary, StringComparison.Ordinal);
        // Printed last on stderr, which is read apart from stdout: it may come anywhere in the output.
        Assert.True(summary.Contains(": FAIL Cart.totals_include_tax", StringComparison.Ordinal), summary);
        Assert.Contains("test output line 3000", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("test output line 2000", summary, StringComparison.Ordinal);
        Assert.DoesNotContain("passes_1", summary, StringComparison.Ordinal);
        Assert.Contains("more: get_execution_logs execution_id=", summary, StringComparison.Ordinal);
    }

    /// <summary>A report of 30 failures, each with a long message.</summary>
    private const string ManyFailures = """
        mkdir -p reports
        { echo '<testsuite name="s">'; for i in $(seq 1 30); do printf '<testcase classname="S" name="t%s"><failure message="broken %s MESSAGE"/></testcase>\n' $i $i; done; echo '</testsuite>'; } > reports/junit.xml
        """;

    [Fact]
    public async Task A_card_whose_tests_fail_by_the_dozen_with_long_messages_is_summed_up_within_the_budget()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "many-failures");
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);
        var longMessage = new string('x', 600);
        var card = System.Text.Json.Nodes.JsonNode.Parse((await client.CallAsync("create_card", new()
        {
            ["repo"] = "many-failures",
            ["title"] = "Break everything",
            ["step_type"] = "script",
            ["step_config"] = new Dictionary<string, object>
            {
                ["command"] = ManyFailures.Replace("MESSAGE", longMessage, StringComparison.Ordinal),
            },
        })).Ok())!["id"]!.GetValue<string>();
        (await client.CallAsync("start_card", new() { ["card_id"] = card })).Ok();
        (await client.CallAsync("wait", new() { ["kind"] = "card", ["id"] = card, ["timeout_seconds"] = 90 })).Ok();

        var summary = (await client.CallAsync("get_failure_summary", new() { ["card_id"] = card })).Ok();

        Assert.True(summary.Length < 2_000, $"{summary.Length} characters:\n{summary}");
        Assert.StartsWith($"card {card} 'Break everything': failed, attempt 1 failed", summary, StringComparison.Ordinal);
        Assert.Contains("tests: 30 of 30 failed", summary, StringComparison.Ordinal);
        Assert.Contains("- S.t1: broken 1 xxx", summary, StringComparison.Ordinal);
        Assert.Contains("- and 25 more failed tests", summary, StringComparison.Ordinal);
        Assert.Contains("more: get_execution_logs", summary, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(McpTransport.Http)]
    [InlineData(McpTransport.Stdio)]
    public async Task An_unknown_card_is_a_tool_error_with_the_apis_message(McpTransport transport)
    {
        await using var client = await McpSessions.ConnectAsync(fixture.Host, transport);

        foreach (var tool in new[] { "get_card", "start_card", "approve_card", "get_card_history" })
        {
            var error = (await client.CallAsync(tool, new() { ["card_id"] = Unknown })).Error();

            Assert.StartsWith($"LazyAF answered 404 Not Found to ", error, StringComparison.Ordinal);
            Assert.Contains($"/api/cards/{Unknown}", error, StringComparison.Ordinal);
            Assert.Contains($"Card not found: There is no card '{Unknown}'.", error, StringComparison.Ordinal);
            Assert.Contains("\"type\":\"urn:lazyaf:problem:not-found\"", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(McpTransport.Http)]
    [InlineData(McpTransport.Stdio)]
    public async Task An_invalid_step_config_is_a_tool_error_with_the_apis_field_message_and_makes_no_card(McpTransport transport)
    {
        var name = $"invalid-{transport}".ToLowerInvariant();
        var repo = await fixture.Host.CreateRepoAsync(name);
        await using var client = await McpSessions.ConnectAsync(fixture.Host, transport);

        var error = (await client.CallAsync("create_card", new()
        {
            ["repo"] = name,
            ["title"] = "No command",
            ["step_type"] = "script",
            ["step_config"] = new Dictionary<string, object> { ["comand"] = "make" },
        })).Error();

        Assert.StartsWith($"LazyAF answered 400 Bad Request to POST /api/repos/{repo}/cards: The request is invalid: ", error, StringComparison.Ordinal);
        Assert.Contains("step_config.comand", error, StringComparison.Ordinal);
        Assert.Contains("\"errors\":{", error, StringComparison.Ordinal);
        Assert.Equal("[]", (await client.CallAsync("list_cards", new() { ["repo"] = repo })).Ok());
    }

    [Fact]
    public async Task A_repo_that_does_not_exist_and_a_bad_regex_are_tool_errors_that_say_what_to_do()
    {
        await using var client = await McpSessions.ConnectAsync(fixture.Host, McpTransport.Http);

        Assert.Equal("no repo with the id or name 'nope' (list_repos lists them)", (await client.CallAsync("list_cards", new() { ["repo"] = "nope" })).Error());
        Assert.StartsWith("pattern is not a valid .NET regular expression: ",
            (await client.CallAsync("search_execution_logs", new() { ["execution_id"] = Unknown, ["pattern"] = "(unclosed" })).Error(), StringComparison.Ordinal);
        Assert.Equal("get_failure_summary takes exactly one of run_id, card_id and execution_id", (await client.CallAsync("get_failure_summary")).Error());
    }
}
