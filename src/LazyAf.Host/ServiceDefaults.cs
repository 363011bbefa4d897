using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.LiveEvents;
using LazyAf.Kernel.Storage;
using LazyAf.Modules.Access.Contracts;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Serilog;
using Serilog.Settings.Configuration;

namespace LazyAf.Host;

/// <summary>What every LazyAF web host has: logging, problem details, JSON style, health and OpenAPI.</summary>
internal static class ServiceDefaults
{
    private const string LiveTag = "live";

    public static void AddServiceDefaults(this WebApplicationBuilder builder)
    {
        // The assemblies whose sinks and formatters the settings may name (those the host ships) are given, so reading
        // the settings does not scan every dependency in the host's deps.json for Serilog assemblies on each start.
        var serilogAssemblies = new ConfigurationReaderOptions(
            typeof(ConsoleLoggerConfigurationExtensions).Assembly,
            typeof(FileLoggerConfigurationExtensions).Assembly,
            typeof(LoggerSinkConfigurationDebugExtensions).Assembly,
            typeof(Serilog.Formatting.Compact.CompactJsonFormatter).Assembly);
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration, serilogAssemblies)
            .Enrich.FromLogContext()
            .Enrich.With<ModuleEnricher>()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Module}: {Message:lj}{NewLine}{Exception}"));

        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.Exception is BadHttpRequestException bad)
                context.ProblemDetails.Detail = RequestBodyText.Problem(bad);
        });
        // Malformed requests surface as exceptions in every environment, so they all get the same 4xx problem.
        builder.Services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        builder.Services.AddExceptionHandler(options =>
        {
            options.StatusCodeSelector = exception => exception is BadHttpRequestException bad ? bad.StatusCode : StatusCodes.Status500InternalServerError;
            // A malformed request is the client's error, answered with a problem; it is no error of the host's.
            options.SuppressDiagnosticsCallback = context => context.Exception is BadHttpRequestException;
        });
        builder.Services.ConfigureHttpJsonOptions(options => LazyAfJson.Configure(options.SerializerOptions));
        builder.Services.AddApiDocument();
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag])
            .AddCheck<DatabaseHealthCheck>("database");
    }

    public static void UseServiceDefaults(this WebApplication app)
    {
        // Outermost, so each request is logged with the status the client got (a handled bad request is a 400, not a 500).
        app.UseSerilogRequestLogging(options => options.GetLevel = (http, _, ex) =>
            ex is not null || http.Response.StatusCode >= 500 ? Serilog.Events.LogEventLevel.Error : Serilog.Events.LogEventLevel.Debug);
        app.UseExceptionHandler();
        app.UseDiskFullGuard();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseStatusCodePages();
        // After routing (which WebApplication adds first), so endpoints' rate-limit policies apply.
        app.UseRateLimiter();
    }

    public static void MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/health").AllowAnonymous();
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = check => check.Tags.Contains(LiveTag) }).AllowAnonymous();
        app.MapOpenApi().RequireScope(Scopes.Read);
        app.MapLiveEvents().RequireScope(Scopes.Read).DeclareAccessProblems();
    }

    private sealed class DatabaseHealthCheck(IDatabase database) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            await using var connection = await database.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
    }
}
