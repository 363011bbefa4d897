using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>A fresh real host, a scratch directory and the CLI pointed at the host, per test.</summary>
public abstract class CliTest : IAsyncLifetime
{
    protected TempDir Work { get; } = new();

    protected LazyAfHost Host { get; private set; } = null!;

    protected LazyafCli Cli { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Host = LazyAfHost.Start();
        Cli = new LazyafCli(Host);
        return ArrangeAsync();
    }

    /// <summary>What every test of the class starts from, once the host runs.</summary>
    protected virtual Task ArrangeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Work.Dispose();
    }
}
