using Xunit;

namespace LazyAf.Testing;

/// <summary>
/// A test class whose every test gets a fresh real host (its own data directory) and a work directory, both gone after
/// the test: for tests that restart the host or need nothing left by another test.
/// </summary>
public abstract class HostPerTest : IAsyncLifetime
{
    /// <summary>A directory for the test's own files (clones, fixtures).</summary>
    protected TempDir Work { get; } = new();

    /// <summary>The test's host; a test that restarts it sets the new one.</summary>
    protected LazyAfHost Host { get; set; } = null!;

    public Task InitializeAsync()
    {
        Host = LazyAfHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Work.Dispose();
    }
}
