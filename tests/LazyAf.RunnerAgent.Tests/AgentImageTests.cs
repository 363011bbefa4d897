using LazyAf.Runner.Docker;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.RunnerAgent.Tests;

/// <summary>
/// The Docker agent started with <c>--agent-image</c>: an agent card's Claude Code CLI (the real one, against a scripted
/// model on this machine's loopback) runs in a per-step container of that image, its tool calls run there, its events
/// are read as on the host, what it writes is committed to the card's branch, and the container is gone afterwards.
/// </summary>
public sealed class AgentImageTests : IAsyncLifetime
{
    private static readonly Uri Engine = new("unix:///var/run/docker.sock");
    private readonly RunnerFleet _fleet = new("lazyaf-agent-image-test");
    private ScriptedModelServer? _model;

    private RunnerHost Host => _fleet.Host;

    // xunit 2 disposes a test class through IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        if (_model is not null)
            await _model.DisposeAsync();
    }

    [Fact]
    public async Task With_an_agent_image_an_agent_card_runs_its_cli_in_a_container_of_it_and_its_work_is_committed()
    {
        var image = await ClaudeImage.EnsureAsync();
        _model = await ScriptedModelServer.StartAsync(
            ModelTurn.Call("Bash", new { command = "test -f /.dockerenv && echo in-a-container; cat /etc/os-release; echo exec=$LAZYAF_EXECUTION_ID key=$ANTHROPIC_API_KEY", description = "where am I" }),
            ModelTurn.Call("Bash", new { command = "echo made in a container > made.txt", description = "write the file" }),
            ModelTurn.Say("Done."));
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "agent-image");
        var agent = _fleet.Start(
            ["--server", Host.RunnerUrl, "--token", await Host.RegistrationTokenAsync(), "--labels", "pool=agent-image", "--name", "agent-image",
             "--state-dir", _fleet.Work.Combine("state-agent-image"), "--agent-image", image, "--agent-env", "ANTHROPIC_BASE_URL,ANTHROPIC_API_KEY"],
            AgentProcess.JitBuild("lazyaf-runner"),
            new Dictionary<string, string> { ["ANTHROPIC_BASE_URL"] = _model.BaseUrl, ["ANTHROPIC_API_KEY"] = "sk-test-scripted-in-a-container" });
        await Host.ConnectedRunnerAsync("pool=agent-image");

        var execution = await Host.StartCardAsync(repo.Id, "agent", new { agent = "claude-code" }, "pool=agent-image");
        var ended = await _fleet.WithLogs(Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed", TimeSpan.FromSeconds(120)));
        var log = string.Concat((await Host.LogsAsync(execution)).Select(c => c.Text));

        Assert.True(ended.Str("state") == "succeeded", $"{ended}\n{log}\n{agent.Log}");
        Assert.Contains($"in a container of {image}", log, StringComparison.Ordinal);
        // The tool call ran in the container (its /.dockerenv, the image's os-release), with the step's variables; the
        // runner's API key reached the CLI and was masked in what came back.
        Assert.Contains("in-a-container", log, StringComparison.Ordinal);
        Assert.Contains("LazyAF agent test image", log, StringComparison.Ordinal);
        Assert.Contains($"exec={execution} key=***", log, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-test-scripted-in-a-container", log, StringComparison.Ordinal);
        Assert.Equal(ended.Str("commit_sha"), await repo.RemoteShaAsync(ended.Str("branch")));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("made in a container", (await repo.GitAsync("show", $"{ended.Str("commit_sha")}:made.txt")).Trim());
        Assert.Null(await new DockerStepKind(new DockerStepOptions { Endpoint = Engine }).FindAsync(execution, CancellationToken.None));
    }

    [Theory]
    [InlineData("lazyaf/busybox:test", "claude not found in image lazyaf/busybox:test")]
    [InlineData("lazyaf/absent:none", "image 'lazyaf/absent:none' not found in the local Docker engine")]
    public async Task An_agent_image_without_the_cli_fails_the_step_with_the_reason(string image, string reason)
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "no-cli");
        _fleet.Start(
            ["--server", Host.RunnerUrl, "--token", await Host.RegistrationTokenAsync(), "--labels", "pool=no-cli", "--name", "no-cli",
             "--state-dir", _fleet.Work.Combine("state-no-cli"), "--agent-image", image],
            AgentProcess.JitBuild("lazyaf-runner"));
        await Host.ConnectedRunnerAsync("pool=no-cli");

        var execution = await Host.StartCardAsync(repo.Id, "agent", new { agent = "claude-code" }, "pool=no-cli");
        var failed = await _fleet.WithLogs(Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed"));

        Assert.Equal("failed", failed.Str("state"));
        Assert.Contains(reason, failed.Str("error"), StringComparison.Ordinal);
        Assert.Null(await new DockerStepKind(new DockerStepOptions { Endpoint = Engine }).FindAsync(execution, CancellationToken.None));
    }
}
