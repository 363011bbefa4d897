using Xunit;

namespace LazyAf.Testing;

/// <summary>One real host shared by the tests of a class (xunit class fixture); tests keep apart by using their own repos.</summary>
public sealed class LazyAfHostFixture : IAsyncLifetime
{
    public LazyAfHost Host { get; private set; } = null!;

    public Task InitializeAsync()
    {
        Host = LazyAfHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
