using System.Text.Json;
using System.Text.RegularExpressions;
using Json.Schema;
using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary>What a client sees on connecting, over both transports: every tool the issue asks for, each described, with a valid schema and annotations; the resources and prompts.</summary>
public sealed partial class ToolListTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    /// <summary>The tools issue 19 lists (every one has an API to call), and the few this server adds.</summary>
    private static readonly string[] IssueTools =
    [
        "list_repos", "get_repo", "list_branches", "list_commits", "get_diff",
        "list_cards", "get_card", "create_card", "update_card", "delete_card", "start_card", "cancel_card", "approve_card", "reject_card",
        "retry_card", "follow_up_card", "get_card_history", "add_card_dependency",
        "get_execution", "get_execution_logs", "search_execution_logs", "get_failure_summary", "cancel_execution", "list_approvals", "answer_approval",
        "list_pipelines", "get_pipeline", "create_pipeline", "update_pipeline", "delete_pipeline", "validate_pipeline", "run_pipeline",
        "list_pipeline_runs", "get_pipeline_run", "cancel_pipeline_run", "get_step_logs",
        "list_agents", "list_agent_files", "get_agent_file", "create_agent_file", "update_agent_file", "delete_agent_file", "playground_run", "playground_result",
        "list_runners", "drain_runner",
    ];

    private static readonly string[] AddedTools =
    [
        "remove_card_dependency", "wait", "list_tests", "get_test_history", "list_artifacts",
        "debug_rerun", "get_debug_session", "debug_exec", "debug_mark", "debug_resume", "debug_abort",
    ];

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();

    [Theory]
    [InlineData(McpTransport.Http)]
    [InlineData(McpTransport.Stdio)]
    public async Task Every_tool_is_listed_with_a_one_line_description_a_valid_schema_and_annotations(McpTransport transport)
    {
        await using var client = await McpSessions.ConnectAsync(fixture.Host, transport);

        var tools = await client.ListToolsAsync();

        Assert.Equal([.. IssueTools.Concat(AddedTools).Order(StringComparer.Ordinal)], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach (var tool in tools.Select(t => t.ProtocolTool))
        {
            Assert.False(string.IsNullOrWhiteSpace(tool.Description), tool.Name);
            Assert.DoesNotContain('\n', tool.Description!);
            Assert.True(tool.Description!.Length <= 200, $"{tool.Name}'s description is {tool.Description.Length} characters");
            AssertValidSchema(tool.Name, tool.InputSchema);
            var annotations = tool.Annotations ?? throw new InvalidOperationException($"{tool.Name} has no annotations");
            Assert.True(annotations.ReadOnlyHint is not null && annotations.IdempotentHint is not null && annotations.OpenWorldHint is false, tool.Name);
            if (annotations.ReadOnlyHint is false)
                Assert.True(annotations.DestructiveHint is not null, $"{tool.Name} changes things but does not say whether destructively");
        }
        var readOnly = tools.Where(t => t.ProtocolTool.Annotations!.ReadOnlyHint is true).Select(t => t.Name).ToHashSet();
        Assert.Contains("get_failure_summary", readOnly);
        Assert.DoesNotContain("delete_card", readOnly);
        Assert.True(tools.Single(t => t.Name == "delete_card").ProtocolTool.Annotations!.DestructiveHint);
        Assert.False(tools.Single(t => t.Name == "create_card").ProtocolTool.Annotations!.IdempotentHint);
    }

    [Theory]
    [InlineData(McpTransport.Http)]
    [InlineData(McpTransport.Stdio)]
    public async Task The_resources_and_prompts_are_listed(McpTransport transport)
    {
        await using var client = await McpSessions.ConnectAsync(fixture.Host, transport);

        var resources = await client.ListResourcesAsync();
        var templates = await client.ListResourceTemplatesAsync();
        var prompts = await client.ListPromptsAsync();

        Assert.Equal(["lazyaf://repos"], resources.Select(r => r.Uri));
        Assert.Equal(["lazyaf://cards/{card_id}", "lazyaf://cards/{card_id}/diff", "lazyaf://pipeline-runs/{run_id}/logs"],
            templates.Select(t => t.UriTemplate).Order(StringComparer.Ordinal));
        Assert.Equal(["plan_feature", "why_did_this_run_fail"], prompts.Select(p => p.Name).Order(StringComparer.Ordinal));
        var repos = (await client.ReadResourceAsync("lazyaf://repos")).Contents.OfType<ModelContextProtocol.Protocol.TextResourceContents>().Single();
        Assert.Equal(JsonValueKind.Array, JsonDocument.Parse(repos.Text).RootElement.ValueKind);
    }

    /// <summary>A JSON Schema by the 2020-12 meta-schema, of an object with snake_case properties, each described, that refuses {} exactly when it requires something.</summary>
    private static void AssertValidSchema(string tool, JsonElement schema)
    {
        var meta = MetaSchemas.Draft202012.Evaluate(schema, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(meta.IsValid, $"{tool}'s input schema is not a valid JSON Schema: {schema}");
        Assert.Equal("object", schema.GetProperty("type").GetString());
        var properties = schema.GetProperty("properties").EnumerateObject().ToList();
        foreach (var property in properties)
        {
            Assert.Matches(SnakeCase(), property.Name);
            Assert.True(property.Value.TryGetProperty("description", out _), $"{tool}.{property.Name} has no description");
        }
        var required = schema.TryGetProperty("required", out var names) ? names.EnumerateArray().Select(n => n.GetString()!).ToList() : [];
        Assert.All(required, name => Assert.Contains(name, properties.Select(p => p.Name)));
        var empty = JsonSchema.Build(schema).Evaluate(JsonDocument.Parse("{}").RootElement);
        Assert.Equal(required.Count == 0, empty.IsValid);
    }
}
