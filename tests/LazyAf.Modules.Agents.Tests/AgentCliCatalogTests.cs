using System.Net;
using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Modules.Agents.Tests;

/// <summary><c>GET /api/agents</c>: the agent CLIs the executors can run.</summary>
public sealed class AgentCliCatalogTests : IDisposable
{
    private readonly TempDir _claudeConfig = new("claude-config");

    public void Dispose() => _claudeConfig.Dispose();

    [Fact]
    public async Task The_agents_endpoint_lists_the_installed_claude_with_its_version()
    {
        await using var model = await ScriptedModelServer.StartAsync();
        await using var host = LazyAfHost.Start(settings: AgentClis.ClaudeSettings(model, _claudeConfig.Path));

        var agents = await (await host.Client.GetAsync("/api/agents")).JsonAsync(HttpStatusCode.OK);

        var claude = agents.EnumerateArray().Single(a => a.Str("kind") == "claude-code");
        Assert.True(claude.GetProperty("available").GetBoolean());
        Assert.Contains("Claude Code", claude.Str("version"), StringComparison.Ordinal);
        Assert.NotEmpty(claude.GetProperty("models").EnumerateArray());
        Assert.Equal("local", claude.Str("runner"));
    }
}
