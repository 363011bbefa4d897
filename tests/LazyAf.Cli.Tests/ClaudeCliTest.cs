using LazyAf.Testing;
using LazyAf.Testing.Models;

namespace LazyAf.Cli.Tests;

/// <summary>A test of the real <c>lazyaf</c> binary against a host whose agent steps run the real Claude Code CLI on a scripted model.</summary>
public abstract class ClaudeCliTest : IAsyncLifetime
{
    protected TempDir Work { get; } = new();

    protected ClaudeHost Claude { get; private set; } = null!;

    protected LazyafCli Cli { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Claude = await ClaudeHost.StartAsync();
        Cli = new LazyafCli(Claude.Host);
    }

    public async Task DisposeAsync()
    {
        await Claude.DisposeAsync();
        Work.Dispose();
    }
}
