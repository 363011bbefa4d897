using System.Text.Json.Nodes;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Kernel.LiveEvents;
using LazyAf.Kernel.Settings;
using LazyAf.Kernel.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LazyAf.Kernel;

/// <summary>Registers what every module shares.</summary>
public static class KernelServices
{
    /// <summary>The database, migrations, the durable event bus with its live stream, and the clock.</summary>
    public static IServiceCollection AddKernel(this IServiceCollection services)
    {
        DateTimeOffsetHandler.Register();
        // Resolved from the final configuration, so test hosts and command-line overrides both apply.
        services.AddSingleton(sp => new LazyAfOptions
        {
            DataDir = LazyAfOptions.ResolveDataDir(sp.GetRequiredService<IConfiguration>()[LazyAfOptions.DataDirKey]),
        });
        // First of the hosted services: nothing may touch the data directory before this host holds it.
        services.AddSingleton<DataDirectoryLock>();
        services.AddHostedService(sp => sp.GetRequiredService<DataDirectoryLock>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CommitSignal>();
        services.AddSingleton<IDatabase, SqliteDatabase>();
        services.AddSingleton<IEventOutbox, EventOutbox>();
        services.AddSettings<StorageOptions>(StorageOptions.Section);
        services.AddSingleton<DataDirectorySpace>();
        services.AddHostedService(sp => sp.GetRequiredService<DataDirectorySpace>());
        services.AddExceptionHandler<DiskFullGuard.ExceptionHandler>();
        EventTypesOf(services);
        services.AddHostedService<MigrationRunner>();
        services.AddSettings<OutboxOptions>(OutboxOptions.Section);
        services.AddSingleton<DeadLetters>();
        services.AddHostedService<OutboxDispatcher>();
        services.AddSettings<LiveEventsOptions>(LiveEventsOptions.Section);
        services.AddSingleton<LiveEventLog>();
        services.AddSingleton<LiveEventHub>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventHub>());
        return services.AddModuleMigrations("kernel", typeof(KernelServices).Assembly);
    }

    /// <summary>Adds a module's embedded SQL migrations; modules apply in registration order.</summary>
    public static IServiceCollection AddModuleMigrations(this IServiceCollection services, string module, System.Reflection.Assembly assembly, string resourcePrefix = "")
    {
        services.AddSingleton(new ModuleMigrations(module, assembly, resourcePrefix));
        return services;
    }

    /// <summary>Subscribes <typeparamref name="THandler"/> to <typeparamref name="TEvent"/> on the durable bus.</summary>
    public static IServiceCollection AddEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IIntegrationEvent
        where THandler : class, IIntegrationEventHandler<TEvent>
    {
        EventTypesOf(services).AddHandler(typeof(TEvent), typeof(THandler));
        services.TryAddScoped<THandler>();
        return services;
    }

    /// <summary>
    /// Reads <typeparamref name="TEvent"/> payloads stored in an older shape (still in the outbox of a database written by
    /// an earlier LazyAF) through <paramref name="upgrade"/>, which turns any stored payload into the current shape.
    /// </summary>
    public static IServiceCollection AddEventUpgrade<TEvent>(this IServiceCollection services, Func<JsonObject, JsonObject> upgrade)
        where TEvent : IIntegrationEvent
    {
        EventTypesOf(services).AddUpgrade(typeof(TEvent), upgrade);
        return services;
    }

    // The registry is filled while services are registered, before the container exists.
    private static EventTypes EventTypesOf(IServiceCollection services)
    {
        if (services.FirstOrDefault(d => d.ServiceType == typeof(EventTypes))?.ImplementationInstance is EventTypes existing)
            return existing;
        var created = new EventTypes();
        services.AddSingleton(created);
        return created;
    }
}
