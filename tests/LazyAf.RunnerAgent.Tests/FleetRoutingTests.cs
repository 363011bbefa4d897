using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.RunnerAgent.Tests;

/// <summary>
/// Issue 14's first acceptance: a Docker agent (x64, <c>has=docker</c>) and a Native AOT agent (the linux-arm64 binary
/// under qemu-aarch64-static) as real processes on one real host; pipeline steps and cards that require an
/// architecture, or Docker, land on the runner that has it, every time, and a docker step runs in a real container.
/// The host's own executor is given a label of its own, so nothing that requires a runner's label can land there.
/// </summary>
public sealed class FleetRoutingTests : IAsyncLifetime
{
    private const int Runs = 3;
    private const string Image = "lazyaf/busybox:test";
    private readonly RunnerFleet _fleet = new("lazyaf-fleet-test", new Dictionary<string, string> { ["Execution:LocalLabels:0"] = "where=host" });

    private RunnerHost Host => _fleet.Host;

    // xunit 2 disposes a test class through IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task Steps_and_cards_that_require_an_architecture_or_docker_land_on_the_runner_that_has_it_every_time()
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "fleet");
        await StartAsync(AgentProcess.JitBuild("lazyaf-runner"), "docker-host");
        await StartAsync(await PublishedAgent.CommandAsync("linux-arm64"), "pi");
        var docker = await Host.ConnectedRunnerAsync("has=docker", "docker-host");
        var pi = await Host.ConnectedRunnerAsync("arch=arm64", "pi");
        Assert.Contains("arch=x64", Labels(docker));
        Assert.DoesNotContain("has=docker", Labels(pi));
        await PipelineRuns.CommitPipelineAsync(repo, "fleet", """
            name: fleet
            steps:
              - id: on-arm
                requires: [arch=arm64]
                config: {command: "echo arm step"}
              - id: on-x64
                requires: [arch=x64]
                config: {command: "echo x64 step"}
              - id: in-docker
                type: docker
                requires: [has=docker]
                config: {image: "lazyaf/busybox:test", command: "echo container in $(pwd) as $(id -u)"}
            """);
        var pipelines = new PipelineRuns(Host.Host);

        // Started at once, so the steps of three runs compete for both runners' slots.
        var runIds = new List<string>();
        for (var i = 0; i < Runs; i++)
            runIds.Add(await pipelines.RunAsync(repo.Id, "fleet"));
        var cards = new List<(string Execution, string Runner)>();
        for (var i = 0; i < Runs; i++)
        {
            cards.Add((await Host.StartScriptCardAsync(repo.Id, $"echo card {i} on arm", "arch=arm64"), pi.Str("id")));
            cards.Add((await Host.StartDockerCardAsync(repo.Id, Image, $"echo card {i} in a container", "has=docker"), docker.Str("id")));
        }

        foreach (var runId in runIds)
        {
            var run = await _fleet.WithLogs(pipelines.SettledAsync(runId, timeoutSeconds: 180));
            Assert.True(run.Str("state") == "passed", $"{run}\n{_fleet.Logs}");
            Assert.Equal(pi.Str("id"), await RunnerOfAsync(PipelineRuns.Step(run, "on-arm")));
            Assert.Equal(docker.Str("id"), await RunnerOfAsync(PipelineRuns.Step(run, "on-x64")));
            Assert.Equal(docker.Str("id"), await RunnerOfAsync(PipelineRuns.Step(run, "in-docker")));
            Assert.Contains("container in /workspace as 0", await pipelines.LogsAsync(runId, "in-docker"), StringComparison.Ordinal);
        }
        foreach (var (execution, runner) in cards)
        {
            var ended = await _fleet.WithLogs(Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed", TimeSpan.FromSeconds(180)));
            Assert.True(ended.Str("state") == "succeeded", $"{ended}\n{_fleet.Logs}");
            Assert.Equal(runner, ended.Str("runner"));
        }
    }

    private async Task<string?> RunnerOfAsync(JsonElement step) => (await Host.ExecutionAsync(step.Str("execution_id"))).Str("runner");

    private async Task StartAsync(string[] program, string name)
    {
        var token = await Host.RegistrationTokenAsync();
        _fleet.Start(["--server", Host.RunnerUrl, "--token", token, "--name", name, "--capacity", "2", "--state-dir", _fleet.Work.Combine($"state-{name}")], program);
    }

    private static string?[] Labels(JsonElement runner) => [.. runner.GetProperty("labels").EnumerateArray().Select(l => l.GetString())];
}
