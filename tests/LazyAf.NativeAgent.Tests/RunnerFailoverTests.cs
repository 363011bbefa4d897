using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// Two real agents on one host: a step whose runner is killed with <c>kill -9</c> starts again on the other when its
/// <c>runner_retries</c> allow (else it fails "runner lost"), and a pipeline run's steps stay on the runner that holds
/// its workspace.
/// </summary>
public sealed class RunnerFailoverTests : IAsyncLifetime
{
    private readonly TempDir _work = new("lazyaf-failover-test");
    private readonly Dictionary<string, AgentProcess> _agents = [];
    private RunnerHost _host = null!;

    public Task InitializeAsync()
    {
        // A short dead window keeps the test short; the behaviour is the default one's.
        _host = RunnerHost.Start(new Dictionary<string, string> { ["Runners:DeadAfter"] = "00:00:03", ["Runners:HeartbeatInterval"] = "00:00:01" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents.Values)
            await agent.DisposeAsync();
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_step_whose_runner_is_killed_starts_again_on_the_other_runner_when_its_runner_retries_allow()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "retried");
        var runners = await StartTwoAgentsAsync("pool=retry");
        var execution = await StartCardAsync(repo.Id, "echo started; sleep 4; echo finished; echo ok > retried.txt", "pool=retry", new { runner_retries = 1 });
        var first = await RunningOnAsync(execution);

        _agents[first].KillHard();

        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed" or "cancelled", TimeSpan.FromSeconds(90));
        Assert.True(ended.Str("state") == "succeeded", ended.ToString());
        Assert.Equal(runners.Single(r => r != first), ended.Str("runner"));
        var chunks = await _host.LogsAsync(execution);
        Assert.Equal(Enumerable.Range(1, chunks.Count).Select(i => (long)i), chunks.Select(c => c.Seq));
        var text = string.Concat(chunks.Select(c => c.Text));
        Assert.Contains($"runner {first} was lost; the step starts again on another runner (retry 1 of 1)", text, StringComparison.Ordinal);
        var stdout = string.Concat(chunks.Where(c => c.Stream == "stdout").Select(c => c.Text)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(stdout.SequenceEqual(["started", "started", "finished"]), string.Join('\n', chunks.Select(c => $"{c.Seq} {c.Stream} {c.Text.TrimEnd()}")));
        Assert.Equal(ended.Str("commit_sha"), await repo.RemoteShaAsync(ended.Str("branch")));
    }

    [Fact]
    public async Task A_step_without_runner_retries_fails_runner_lost_though_another_runner_is_free()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "not-retried");
        var runners = await StartTwoAgentsAsync("pool=no-retry");
        var execution = await StartCardAsync(repo.Id, "echo started; sleep 300", "pool=no-retry", new { });
        var first = await RunningOnAsync(execution);

        _agents[first].KillHard();

        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") != "running", TimeSpan.FromSeconds(60));
        Assert.Equal("failed", ended.Str("state"));
        Assert.Equal("runner lost", ended.Str("error"));
        Assert.Equal(first, ended.Str("runner"));
        // The other runner was free all along: it takes the next step at once.
        var next = await StartCardAsync(repo.Id, "echo next", "pool=no-retry", new { });
        var after = await _host.ExecutionWhenAsync(next, e => e.Str("state") is "succeeded" or "failed");
        Assert.Equal(runners.Single(r => r != first), after.Str("runner"));
    }

    [Fact]
    public async Task A_pipeline_runs_steps_on_the_runner_that_holds_its_workspace()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "affinity");
        // "small" can take one step, "big" three: without affinity the router gives every step to the one with the most
        // free slots. The first step can only run on small; the rest may run on either.
        var small = await StartAgentAsync("pool=affinity,box=small", "small", capacity: 1);
        await StartAgentAsync("pool=affinity", "big", capacity: 3);
        const string Yaml = """
            name: affinity
            steps:
              - id: first
                type: script
                requires: [pool=affinity, box=small]
                continue_in_context: true
                config: {command: "echo one > one.txt"}
              - id: second
                type: script
                requires: [pool=affinity]
                continue_in_context: true
                config: {command: "echo two > two.txt"}
              - id: third
                type: script
                requires: [pool=affinity]
                config: {command: "echo three"}
            """;
        var pipeline = await (await _host.Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines", new { yaml = Yaml })).JsonAsync(HttpStatusCode.Created);

        var run = await (await _host.Api.PostJsonAsync($"/api/pipelines/{pipeline.Str("id")}/run", new { })).JsonAsync(HttpStatusCode.Accepted);
        var runId = run.Str("id");
        JsonElement[] steps = [];
        await Eventually.HoldsAsync(async () =>
            {
                var current = await (await _host.Api.GetAsync($"/api/pipeline-runs/{runId}")).JsonAsync(HttpStatusCode.OK);
                steps = [.. current.GetProperty("steps").EnumerateArray()];
                return current.Str("state") is "passed" or "failed";
            },
            async () => await _host.Api.GetStringAsync($"/api/pipeline-runs/{runId}"), TimeSpan.FromSeconds(120));

        Assert.Equal(3, steps.Length);
        foreach (var step in steps)
        {
            var execution = await _host.ExecutionAsync(step.Str("execution_id"));
            Assert.Equal("succeeded", execution.Str("state"));
            Assert.Equal(small, execution.Str("runner"));
        }
    }

    private async Task<string[]> StartTwoAgentsAsync(string labels)
    {
        var name = labels.Replace("pool=", "", StringComparison.Ordinal);
        return [await StartAgentAsync(labels, $"{name}-a"), await StartAgentAsync(labels, $"{name}-b")];
    }

    private async Task<string> StartAgentAsync(string labels, string name, int capacity = 1)
    {
        var agent = AgentProcess.Start(["--server", _host.RunnerUrl, "--labels", labels, "--name", name, "--capacity", $"{capacity}",
            "--state-dir", _work.Combine($"state-{name}"), "--token", await _host.RegistrationTokenAsync()]);
        var runner = await _host.ConnectedRunnerAsync(labels.Split(',')[0], name);
        _agents[runner.Str("id")] = agent;
        return runner.Str("id");
    }

    private async Task<string> StartCardAsync(string repoId, string command, string requires, object extra)
    {
        var config = JsonSerializer.SerializeToNode(extra)!.AsObject();
        config["command"] = command;
        var card = await (await _host.Api.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = "Failover", description = "a step on one of two runners", step_type = "script", step_config = config, requires = new[] { requires } }))
            .JsonAsync(HttpStatusCode.Created);
        using var started = await _host.Api.PostAsync($"/api/cards/{card.Str("id")}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        return started.Headers.Location!.ToString().Split('/')[^1];
    }

    /// <summary>Waits until the step printed "started" (its stdout: the runner's own lines may say "started" earlier); returns the runner it runs on.</summary>
    private async Task<string> RunningOnAsync(string execution)
    {
        await Eventually.HoldsAsync(async () => (await _host.LogsAsync(execution)).Any(c => c.Stream == "stdout" && c.Text.Contains("started", StringComparison.Ordinal)),
            async () => (await _host.ExecutionAsync(execution)).ToString(), TimeSpan.FromSeconds(60));
        return (await _host.ExecutionAsync(execution)).Str("runner");
    }
}
