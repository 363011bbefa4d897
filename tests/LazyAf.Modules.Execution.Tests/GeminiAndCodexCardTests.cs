using System.Net;
using System.Text.Json;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>Agent cards run by the real Gemini CLI and Codex through the host, against the scripted model server; their tokens priced by the host's table.</summary>
public sealed class GeminiAndCodexCardTests : IDisposable
{
    private readonly TempDir _work = new();
    private readonly TempDir _state = new("agent-state");

    public void Dispose()
    {
        _state.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_gemini_card_writes_a_file_runs_a_command_and_is_priced_from_the_table()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("write_file", new { file_path = "hello.txt", content = "Hello from Gemini\n" }),
            ModelTurn.Call("run_shell_command", new { command = "wc -c < hello.txt > size.txt" }),
            ModelTurn.Say("I wrote hello.txt."));
        var settings = GeminiSettings(model);

        var (card, usage) = await RunAsync(settings, new { agent = "gemini", model = "gemini-2.5-pro" }, "gemini-card");

        Assert.Equal(["hello.txt", "size.txt"], card.Files);
        Assert.Equal("Hello from Gemini", card.Show("hello.txt"));
        Assert.Equal("18", card.Show("size.txt"));
        Assert.Equal(usage.GetProperty("input_tokens").GetInt64() * 1.25m / 1_000_000m + usage.GetProperty("output_tokens").GetInt64() * 10m / 1_000_000m,
            usage.GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task A_gemini_card_is_stopped_between_turns_once_the_usage_its_session_records_crosses_the_budget()
    {
        // $2.25 a turn (1M tokens in at $1.25, 0.1M out at $10) against a $3 budget: the second turn crosses it. Gemini's
        // stream reports tokens only with its result, which twenty turns of a second each would reach far too late.
        await using var model = await ScriptedModelServer.StartAsync([.. Enumerable.Range(0, 20).Select(i =>
            ModelTurn.Call("run_shell_command", new { command = $"sleep 1; echo {i} >> turns.txt" }) with { Usage = (1_000_000, 100_000) })]);
        var run = await EndedAsync(GeminiSettings(model), new { agent = "gemini", model = "gemini-2.5-pro", max_cost_usd = 3 }, "gemini-budget");

        Assert.Equal("failed", run.Str("state"));
        Assert.Contains("crossed the step's budget $3", run.Str("error"), StringComparison.Ordinal);
        Assert.True(model.TurnsLeft >= 10, $"stopped after {20 - model.TurnsLeft} of 20 turns");
        Assert.InRange(run.GetProperty("usage").GetProperty("cost_usd").GetDecimal(), 3.01m, 20m);
    }

    [Fact]
    public async Task A_codex_card_is_stopped_between_responses_once_the_usage_its_rollout_records_crosses_the_budget()
    {
        // $2.25 a response (1M tokens in at $1.25, 0.1M out at $10) against a $3 budget: the second crosses it. Codex's
        // stream reports tokens only when its one turn completes, which twenty commands of a second each reach far too late.
        await using var model = await ScriptedModelServer.StartAsync([.. Enumerable.Range(0, 20).Select(i =>
            ModelTurn.Call("exec_command", new { cmd = $"sleep 1; echo {i} >> turns.txt" }) with { Usage = (1_000_000, 100_000) })]);
        var home = Directory.CreateDirectory(_state.Combine("codex")).FullName;
        var settings = new Dictionary<string, string>
        {
            ["Agents:Executables:codex"] = AgentClis.Codex,
            ["Agents:Env:OPENAI_API_KEY"] = "test-key",
            ["Agents:Env:CODEX_HOME"] = home,
            ["Agents:Codex:BaseUrl"] = model.BaseUrl + "/v1",
            ["Agents:Prices:gpt-5.5:Input"] = "1.25",
            ["Agents:Prices:gpt-5.5:Output"] = "10",
        };
        var run = await EndedAsync(settings, new { agent = "codex", model = "gpt-5.5", max_cost_usd = 3 }, "codex-budget");

        var rollouts = string.Join("\n", Directory.EnumerateFiles(home, "rollout-*.jsonl", SearchOption.AllDirectories).Select(File.ReadAllText));
        Assert.True(run.Str("state") == "failed", $"{run}\n{rollouts}");
        Assert.Contains("crossed the step's budget $3", run.Str("error"), StringComparison.Ordinal);
        Assert.True(model.TurnsLeft >= 10, $"stopped after {20 - model.TurnsLeft} of 20 responses");
    }

    [Fact]
    public async Task A_codex_card_patches_a_file_and_runs_a_command()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("apply_patch", new { input = "*** Begin Patch\n*** Add File: hello.txt\n+Hello from Codex\n*** End Patch\n" }),
            ModelTurn.Call("exec_command", new { cmd = "wc -c < hello.txt > size.txt" }),
            ModelTurn.Say("I wrote hello.txt."));
        var settings = new Dictionary<string, string>
        {
            ["Agents:Executables:codex"] = AgentClis.Codex,
            ["Agents:Env:OPENAI_API_KEY"] = "test-key",
            ["Agents:Env:CODEX_HOME"] = Directory.CreateDirectory(_state.Combine("codex")).FullName,
            ["Agents:Codex:BaseUrl"] = model.BaseUrl + "/v1",
        };

        var (card, usage) = await RunAsync(settings, new { agent = "codex", model = "gpt-5.5" }, "codex-card");

        Assert.Equal(["hello.txt", "size.txt"], card.Files);
        Assert.Equal("Hello from Codex", card.Show("hello.txt"));
        Assert.True(usage.GetProperty("output_tokens").GetInt64() > 0);
    }

    [Fact]
    public async Task A_gated_gemini_card_ignores_the_repo_s_settings_that_allow_the_shell()
    {
        await using var model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("run_shell_command", new { command = "touch pre-approved.txt" }),
            ModelTurn.Say("Done."));
        var home = Directory.CreateDirectory(_state.Combine("gemini", ".gemini")).FullName;
        // A settings file an older adapter wrote, without folder trust turned off.
        await File.WriteAllTextAsync(Path.Combine(home, "settings.json"), """
            {
              // written by hand
              "security": { "auth": { "selectedType": "gemini-api-key" } },
              "general": { "maxAttempts": 3 }
            }
            """);
        await using var host = LazyAfHost.Start(settings: new Dictionary<string, string>
        {
            ["Agents:Executables:gemini"] = AgentClis.Gemini,
            ["Agents:Env:GEMINI_API_KEY"] = "test-key",
            ["Agents:Env:GOOGLE_GEMINI_BASE_URL"] = model.BaseUrl,
            ["Agents:Gemini:Home"] = _state.Combine("gemini"),
        });
        var repo = await SeededRepo.CreateAsync(host, _work, "gemini-pre-approved");
        await repo.CommitAsync(".gemini/settings.json", """{"tools": {"allowed": ["run_shell_command"]}, "general": {"defaultApprovalMode": "auto_edit"}}""", "allow the shell");
        await repo.PushAsync("main");
        var created = await (await host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "Touch", description = "Touch a file", step_type = "agent", step_config = new { agent = "gemini", model = "gemini-2.5-pro", approval = true } })).JsonAsync(HttpStatusCode.Created);
        using var started = await host.Client.PostAsync($"/api/cards/{created.Str("id")}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        JsonElement card = default;
        await Eventually.HoldsAsync(
            () => (card = host.Client.GetAsync($"/api/cards/{created.Str("id")}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("status") != "in_progress",
            () => card.ToString(), TimeSpan.FromSeconds(90));

        // The CLI ran, asked for the shell, and came back to the model with the refusal.
        Assert.True(model.Requests.Count >= 2, card.ToString());
        var diff = await (await host.Client.GetAsync($"/api/cards/{created.Str("id")}/diff")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(diff.GetProperty("files").EnumerateArray(), f => f.Str("path") == "pre-approved.txt");
        Assert.Contains("\"enabled\": false", await File.ReadAllTextAsync(Path.Combine(home, "settings.json")), StringComparison.Ordinal);
    }

    // An agent card started on a host of its own, and its execution once it ended.
    private async Task<JsonElement> EndedAsync(Dictionary<string, string> settings, object config, string repoName)
    {
        await using var host = LazyAfHost.Start(settings: settings);
        var repo = await SeededRepo.CreateAsync(host, _work, repoName);
        var created = await (await host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "Count", step_type = "agent", step_config = config })).JsonAsync(HttpStatusCode.Created);
        using var started = await host.Client.PostAsync($"/api/cards/{created.Str("id")}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        var execution = started.Headers.Location!.ToString().Split('/')[^1];
        JsonElement run = default;
        await Eventually.HoldsAsync(
            () => (run = host.Client.GetAsync($"/api/executions/{execution}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("state") is "succeeded" or "failed",
            () => run.ToString(), TimeSpan.FromSeconds(90));
        return run;
    }

    // The real CLI against the scripted model, its tokens priced at gemini-2.5-pro's rates ($1.25 in, $10 out a million).
    private Dictionary<string, string> GeminiSettings(ScriptedModelServer model) => new()
    {
        ["Agents:Executables:gemini"] = AgentClis.Gemini,
        ["Agents:Env:GEMINI_API_KEY"] = "test-key",
        ["Agents:Env:GOOGLE_GEMINI_BASE_URL"] = model.BaseUrl,
        ["Agents:Gemini:Home"] = _state.Combine("gemini"),
        ["Agents:Prices:gemini-2.5-pro:Input"] = "1.25",
        ["Agents:Prices:gemini-2.5-pro:Output"] = "10",
    };

    private async Task<(ReviewedCard Card, JsonElement Usage)> RunAsync(Dictionary<string, string> settings, object config, string repoName)
    {
        await using var host = LazyAfHost.Start(settings: settings);
        var repo = await SeededRepo.CreateAsync(host, _work, repoName);
        var created = await (await host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "Say hello", description = "Write hello.txt", step_type = "agent", step_config = config })).JsonAsync(HttpStatusCode.Created);
        using var started = await host.Client.PostAsync($"/api/cards/{created.Str("id")}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        var execution = started.Headers.Location!.ToString().Split('/')[^1];
        JsonElement card = default;
        await Eventually.HoldsAsync(
            () => (card = host.Client.GetAsync($"/api/cards/{created.Str("id")}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("status") != "in_progress",
            () => card.ToString(), TimeSpan.FromSeconds(90));
        Assert.True(card.Str("status") == "in_review", await host.Client.GetStringAsync($"/api/executions/{execution}/logs"));

        var events = await (await host.Client.GetAsync($"/api/executions/{execution}/events")).JsonAsync(HttpStatusCode.OK);
        var kinds = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("event").Str("kind")).ToList();
        Assert.Equal(2, kinds.Count(k => k == "tool_call"));
        Assert.Equal(["session_started", "result"], new[] { kinds[0], kinds[^1] });
        var diff = await (await host.Client.GetAsync($"/api/cards/{created.Str("id")}/diff")).JsonAsync(HttpStatusCode.OK);
        await repo.GitAsync("fetch", "--quiet", "origin");
        var branch = card.Str("branch_name");
        var files = diff.GetProperty("files").EnumerateArray().Select(f => f.Str("path")).Order().ToList();
        var contents = new Dictionary<string, string>();
        foreach (var file in files)
            contents[file] = await repo.GitAsync("show", $"origin/{branch}:{file}");
        return (new ReviewedCard(files, contents), events.GetProperty("usage"));
    }

    private sealed record ReviewedCard(IReadOnlyList<string> Files, IReadOnlyDictionary<string, string> Contents)
    {
        public string Show(string file) => Contents[file];
    }
}
