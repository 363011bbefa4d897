using LazyAf.Kernel;
using LazyAf.Kernel.Settings;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Triggers.Contracts;
using LazyAf.Modules.Triggers.Data;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Modules.Triggers.Features.Firings;
using LazyAf.Modules.Triggers.Features.RunActions;
using LazyAf.Modules.Triggers.Features.Schedules;
using LazyAf.Modules.Triggers.Features.Webhooks;
using LazyAf.Modules.Triggers.Handlers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Triggers;

/// <summary>
/// Triggers: card-complete, push, webhook and schedule triggers that start pipeline runs (durably, once per
/// pipeline, kind and commit), and the merge / fail / reject actions taken when those runs end.
/// </summary>
public static class TriggersModule
{
    /// <summary>Registers the module's services, schema, event handlers, scheduler and webhook rate limit.</summary>
    public static IServiceCollection AddTriggers(this IServiceCollection services)
    {
        services.AddModuleMigrations("triggers", typeof(TriggersModule).Assembly);
        services.AddSingleton<FiringStore>();
        services.AddSingleton<WebhookStore>();
        services.AddSingleton<KnownRepoStore>();
        services.AddSingleton<ScheduleStore>();
        services.AddSingleton<FiringRecorder>();
        services.AddSingleton<TriggerMatches>();
        services.AddSingleton<TriggerActions>();
        services.AddSingleton<ScheduleEvaluator>();
        services.AddHostedService<ScheduleLoop>();
        services.AddEventHandler<TriggerFired, StartTriggeredRun>();
        services.AddEventHandler<PushReceived, FirePushTriggers>();
        services.AddEventHandler<CardUpdated, FireCardCompleteTriggers>();
        services.AddEventHandler<PipelineRunUpdated, ApplyTriggerActions>();
        services.AddEventHandler<RepoCreated, TrackRepos>();
        services.AddEventHandler<RepoDeleted, TrackRepos>();
        services.AddSettings<WebhookLimits>(WebhookLimits.Section);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy<string, WebhookRateLimit>(WebhookRateLimit.Policy);
        });
        return services;
    }

    /// <summary>Maps webhooks (registration and delivery) and trigger firings under <c>/api</c>; returns the group.</summary>
    public static RouteGroupBuilder MapTriggers(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api").WithTags("Triggers");
        api.MapWebhookRegistration();
        api.MapReceiveWebhook();
        api.MapFirings();
        return api;
    }
}
