using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// The Native AOT binaries, as a Raspberry Pi would run them: the linux-x64 one natively and the linux-arm64 one under
/// qemu-aarch64-static, each connecting to a real host and running a script step that requires its architecture.
/// </summary>
public sealed class AotAgentTests : IAsyncLifetime
{
    private readonly TempDir _work = new("lazyaf-aot-test");
    private RunnerHost _host = null!;
    private AgentProcess? _agent;

    public Task InitializeAsync()
    {
        _host = RunnerHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (_agent is not null)
            await _agent.DisposeAsync();
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Theory]
    [InlineData("linux-x64", "arch=x64")]
    [InlineData("linux-arm64", "arch=arm64")]
    public async Task The_published_binary_connects_and_runs_a_script_step_that_requires_its_architecture(string rid, string arch)
    {
        var pool = $"pool=aot-{rid}";
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, rid);
        _agent = AgentProcess.Start(
            ["--server", _host.RunnerUrl, "--labels", pool, "--name", rid, "--state-dir", _work.Combine("state"), "--token", await _host.RegistrationTokenAsync()],
            await PublishedAgent.CommandAsync(rid));
        var runner = await _host.ConnectedRunnerAsync(pool);
        Assert.Contains(arch, runner.GetProperty("labels").EnumerateArray().Select(l => l.GetString()));

        var execution = await _host.StartScriptCardAsync(repo.Id, "uname -m; echo \"from $LAZYAF_EXECUTION_ID\"; echo aot > aot.txt", arch, pool);
        JsonElement ended;
        try
        {
            ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed" or "cancelled", TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nThe agent's log:\n{_agent.Log}", e);
        }

        Assert.True(ended.Str("state") == "succeeded", $"{ended}\n{_agent.Log}");
        Assert.Equal(runner.Str("id"), ended.Str("runner"));
        var stdout = string.Concat((await _host.LogsAsync(execution)).Where(c => c.Stream == "stdout").Select(c => c.Text));
        Assert.Contains($"from {execution}", stdout, StringComparison.Ordinal);
        Assert.Equal(ended.Str("commit_sha"), await repo.RemoteShaAsync(ended.Str("branch")));
    }
}
