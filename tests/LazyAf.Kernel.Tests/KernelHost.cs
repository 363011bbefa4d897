using LazyAf.Kernel.Events;
using LazyAf.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LazyAf.Kernel.Tests;

/// <summary>A generic host with only the kernel and the test's own modules, over a real SQLite file.</summary>
internal sealed class KernelHost : IAsyncDisposable
{
    private readonly IHost _host;

    private KernelHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<KernelHost> StartAsync(string dataDir, Action<IServiceCollection>? configure = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [LazyAfOptions.DataDirKey] = dataDir });
        builder.Services.AddKernel();
        builder.Services.AddModuleMigrations("good", typeof(KernelHost).Assembly, "LazyAf.Kernel.Tests.Good.");
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        try
        {
            await host.StartAsync();
        }
        catch
        {
            // A host that failed to start still holds its data directory's lock until it is disposed.
            host.Dispose();
            throw;
        }
        return new KernelHost(host);
    }

    public T Get<T>() where T : notnull => _host.Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
    }
}

/// <summary>Events the tests publish.</summary>
[IntegrationEvent("test.widget-made")]
internal sealed record WidgetMade(string Name) : IIntegrationEvent
{
    public IReadOnlyList<string> Topics() => [$"widget:{Name}"];
}

/// <summary>What the test handlers saw, shared with the test through DI.</summary>
internal sealed class Deliveries
{
    private readonly List<(string Handler, string Name, int Attempt)> _seen = [];

    public Func<string, bool> FailWhen { get; set; } = _ => false;

    public void Record(string handler, string name, int attempt)
    {
        lock (_seen)
            _seen.Add((handler, name, attempt));
    }

    public IReadOnlyList<(string Handler, string Name, int Attempt)> Seen
    {
        get
        {
            lock (_seen)
                return [.. _seen];
        }
    }

    public Task WaitForAsync(Func<IReadOnlyList<(string Handler, string Name, int Attempt)>, bool> condition) =>
        Eventually.HoldsAsync(() => condition(Seen), () => string.Join(", ", Seen));
}

internal sealed class FirstHandler(Deliveries deliveries) : IIntegrationEventHandler<WidgetMade>
{
    public Task HandleAsync(WidgetMade @event, EventContext context, CancellationToken ct)
    {
        deliveries.Record(nameof(FirstHandler), @event.Name, context.Attempt);
        return Task.CompletedTask;
    }
}

internal sealed class FlakyHandler(Deliveries deliveries) : IIntegrationEventHandler<WidgetMade>
{
    public Task HandleAsync(WidgetMade @event, EventContext context, CancellationToken ct)
    {
        deliveries.Record(nameof(FlakyHandler), @event.Name, context.Attempt);
        if (deliveries.FailWhen(@event.Name))
            throw new InvalidOperationException("flaky handler failed");
        return Task.CompletedTask;
    }
}

internal static class TestDirs
{
    public static TempDir New() => new("lazyaf-kernel");
}
