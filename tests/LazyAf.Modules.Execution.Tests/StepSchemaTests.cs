using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Runner;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// The three sources of a step's keys held equal: the table in <c>docs/steps.md</c>, the schema cards and pipelines read
/// steps with, and the runner's typed step. Every documented key is taken by a card (created and started) and by a
/// pipeline (validated, stored and run), and arrives in the runner's spec the probe executor is given.
/// </summary>
public sealed partial class StepSchemaTests(StepSchemaTests.ProbeHost fixture) : IClassFixture<StepSchemaTests.ProbeHost>
{
    private const string ProbeLabel = "probe";
    private const string AgentFileText = "Probe instructions.";

    // For each key: a value to set, and where the runner's spec shows it. A documented key without an entry here fails
    // the test: say how it reaches the runner.
    private static readonly Dictionary<string, (object Value, Func<StepSpec, object?> Read, object? Expected)> Probes = new()
    {
        ["command"] = ("echo probe", s => s.Step switch
        {
            ScriptStepDefinition script => script.Command,
            DockerStepDefinition docker => docker.Command,
            AgentStepDefinition agent => agent.Command,
            _ => null,
        }, "echo probe"),
        ["image"] = ("lazyaf/probe:1", s => Docker(s)?.Image, "lazyaf/probe:1"),
        ["memory"] = ("64m", s => Docker(s)?.Memory, "64m"),
        ["cpus"] = (1.5, s => Docker(s)?.Cpus, 1.5),
        ["privileged"] = (true, s => Docker(s)?.Privileged, true),
        ["docker_socket"] = (true, s => Docker(s)?.DockerSocket, true),
        ["agent"] = ("codex", s => Agent(s)?.Agent, "codex"),
        ["model"] = ("probe-model", s => Agent(s)?.Model, "probe-model"),
        ["prompt_template"] = ("Probe {{title}}", s => Agent(s)?.PromptTemplate, "Probe {{title}}"),
        ["agent_files"] = (new[] { "probe-instructions" }, s => Agent(s)?.SystemPrompt?.Contains(AgentFileText, StringComparison.Ordinal), true),
        ["max_turns"] = (7, s => Agent(s)?.MaxTurns, 7),
        ["max_cost_usd"] = (2.5, s => Agent(s)?.MaxCostUsd, 2.5m),
        ["approval"] = (true, s => Agent(s)?.ApprovalGate, true),
        ["keep_partial_work"] = (true, s => s.Step.KeepPartialWork, true),
        ["env"] = (new Dictionary<string, string> { ["PROBE_ENV"] = "on" }, s => s.Env.GetValueOrDefault("PROBE_ENV"), "on"),
        ["secrets"] = (new[] { "PROBE_SECRET" }, s => s.Secrets.GetValueOrDefault("PROBE_SECRET"), "probe-secret-value"),
        ["working_dir"] = ("probe-dir", s => s.Step.WorkingDir, "probe-dir"),
        ["timeout_seconds"] = (4321, s => s.Timeout, TimeSpan.FromSeconds(4321)),
        ["commit"] = (new[] { "report.txt" }, s => string.Join(",", s.Commit.Scope.Paths), "report.txt"),
    };

    // Keys that stay with the host (the router's policy), not in the runner's spec: where the execution's request shows them.
    private static readonly Dictionary<string, (object Value, Func<ExecutionRequested, object?> Read, object? Expected)> HostPolicies = new()
    {
        ["runner_retries"] = (2, r => r.Step.RunnerRetries, 2),
        // The host collects them from the workspace after the step (the Reports module keeps them).
        ["artifacts"] = (new[] { "out/*.bin" }, r => string.Join(",", r.Step.Artifacts), "out/*.bin"),
    };

    private LazyAfHost Host => fixture.Host;

    private HttpClient Api => fixture.Host.Client;

    /// <summary>A host whose second executor, the probe, takes every step that requires its label; a seeded repo; a platform agent file.</summary>
    public sealed class ProbeHost : IAsyncLifetime
    {
        private readonly TempDir _work = new();

        public LazyAfHost Host { get; private set; } = null!;

        public SeededRepo Repo { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            // The repo may escalate, so privileged and docker_socket reach the probe rather than failing in preparation.
            Host = LazyAfHost.Start(
                configureServices: services => services.AddSingleton<IExecutor>(sp => new ProbeExecutor(ProbeLabel, ProbeLabel, sp)),
                settings: new Dictionary<string, string> { ["Execution:Docker:PrivilegedRepos:0"] = "step-keys" });
            Repo = await SeededRepo.CreateAsync(Host, _work, "step-keys");
            await (await Host.Client.PostJsonAsync("/api/agent-files", new { name = "probe-instructions", content = AgentFileText })).JsonAsync(HttpStatusCode.Created);
            (await Host.Client.PutJsonAsync("/api/secrets/PROBE_SECRET", new { value = "probe-secret-value" })).EnsureSuccessStatusCode();
        }

        public async Task DisposeAsync()
        {
            await Host.DisposeAsync();
            _work.Dispose();
        }
    }

    /// <summary>Every (key, step type) of the docs' table of configuration keys.</summary>
    public static TheoryData<string, string> DocumentedKeys()
    {
        var data = new TheoryData<string, string>();
        foreach (var (key, types) in DocsTable())
        {
            foreach (var type in types)
                data.Add(key, type);
        }
        return data;
    }

    [Fact]
    public void The_docs_table_lists_exactly_the_keys_the_schema_takes_for_each_step_type()
    {
        var documented = DocsTable().Select(row => $"{row.Key}: {string.Join(", ", row.Types.Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal);
        var schema = StepSchema.Keys.Select(key => $"{key.Name}: {string.Join(", ", key.StepTypes.Order(StringComparer.Ordinal))}").Order(StringComparer.Ordinal);

        Assert.Equal(schema, documented);
    }

    [Fact]
    public async Task Every_step_config_key_the_docs_name_elsewhere_is_a_key_of_the_schema()
    {
        var text = string.Concat(await Task.WhenAll(new[] { "README.md", "docs/pipelines.md", "docs/triggers.md" }.Select(RepoFiles.ReadAsync)));
        var named = ConfigKeyMention().Matches(text).Select(m => m.Groups["key"].Value).Distinct().ToList();

        Assert.NotEmpty(named);
        Assert.All(named, key => Assert.Contains(key, StepSchema.Keys.Select(k => k.Name)));
    }

    [Theory]
    [MemberData(nameof(DocumentedKeys))]
    public async Task Every_documented_key_is_taken_by_cards_and_pipelines_and_reaches_the_runner(string key, string type)
    {
        if (HostPolicies.TryGetValue(key, out var policy))
        {
            var withPolicy = Required(type);
            withPolicy[key] = policy.Value;
            var executor = ProbeExecutor.Of(Host, ProbeLabel);
            foreach (var started in new[] { await StartCardAsync(type, withPolicy, $"{type} with {key}"), await StartPipelineAsync(type, withPolicy, $"{type}-{key}") })
            {
                await SpecAsync(started);
                Assert.Equal(policy.Expected, policy.Read(executor.Requests[started]));
            }
            return;
        }
        Assert.True(Probes.TryGetValue(key, out var probe), $"docs/steps.md lists '{key}', but this test does not know where the runner shows it");
        var config = Required(type);
        config[key] = probe.Value;

        var fromCard = await RunCardAsync(type, config, $"{type} with {key}");
        var fromPipeline = await RunPipelineAsync(type, config, $"{type}-{key}");

        Assert.Equal(probe.Expected, probe.Read(fromCard));
        Assert.Equal(probe.Expected, probe.Read(fromPipeline));
    }

    private async Task<StepSpec> RunCardAsync(string type, Dictionary<string, object> config, string title) =>
        await SpecAsync(await StartCardAsync(type, config, title));

    private async Task<string> StartCardAsync(string type, Dictionary<string, object> config, string title)
    {
        var card = await (await Api.PostJsonAsync($"/api/repos/{fixture.Repo.Id}/cards",
            new { title, step_type = type, step_config = config, requires = new[] { ProbeLabel } })).JsonAsync(HttpStatusCode.Created);
        return await new CardRuns(Host).StartAsync(card.Str("id"));
    }

    private async Task<StepSpec> RunPipelineAsync(string type, Dictionary<string, object> config, string name) =>
        await SpecAsync(await StartPipelineAsync(type, config, name));

    private async Task<string> StartPipelineAsync(string type, Dictionary<string, object> config, string name)
    {
        // JSON is YAML: the config goes in as a flow mapping, as a person could write it.
        var yaml = $"name: {name}\nsteps:\n  - id: probe\n    type: {type}\n    requires: [{ProbeLabel}]\n    config: {JsonSerializer.Serialize(config)}\n";
        await (await Api.PostJsonAsync("/api/pipelines/validate", new { yaml })).JsonAsync(HttpStatusCode.OK);
        var pipeline = await (await Api.PostJsonAsync($"/api/repos/{fixture.Repo.Id}/pipelines", new { yaml })).JsonAsync(HttpStatusCode.Created);
        var run = await (await Api.PostJsonAsync($"/api/pipelines/{pipeline.Str("id")}/run", new { })).JsonAsync(HttpStatusCode.Accepted);
        return run.GetProperty("steps")[0].Str("execution_id");
    }

    private async Task<StepSpec> SpecAsync(string executionId)
    {
        var probe = ProbeExecutor.Of(Host, ProbeLabel);
        await Eventually.HoldsAsync(() => probe.Specs.ContainsKey(executionId), () => string.Join(", ", probe.Offered), TimeSpan.FromSeconds(30));
        return probe.Specs[executionId];
    }

    private static Dictionary<string, object> Required(string type) => type switch
    {
        StepSchema.Script => new() { ["command"] = "true" },
        StepSchema.Docker => new() { ["image"] = "lazyaf/busybox:test", ["command"] = "true" },
        _ => new() { ["agent"] = "claude-code" },
    };

    private static IReadOnlyList<(string Key, string[] Types)> DocsTable()
    {
        var lines = RepoFiles.ReadAsync("docs/steps.md").GetAwaiter().GetResult().Split('\n');
        return [.. lines.SkipWhile(l => l.Trim() != "## Configuration keys").Skip(1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|'))
            .Select(cells => (cells[1].Trim().Trim('`'), cells[2].Split(',', StringSplitOptions.TrimEntries)))];
    }

    private static DockerStepDefinition? Docker(StepSpec spec) => spec.Step as DockerStepDefinition;

    private static AgentStepDefinition? Agent(StepSpec spec) => spec.Step as AgentStepDefinition;

    [GeneratedRegex(@"step_config\.(?<key>[a-z_]+)")]
    private static partial Regex ConfigKeyMention();
}
