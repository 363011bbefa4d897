using LazyAf.Kernel;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Data;
using LazyAf.Modules.Access.Domain;
using LazyAf.Modules.Access.Features.Audit;
using LazyAf.Modules.Access.Features.BrowserGuards;
using LazyAf.Modules.Access.Features.Credentials;
using LazyAf.Modules.Access.Features.Login;
using LazyAf.Modules.Access.Features.Me;
using LazyAf.Modules.Access.Features.StepTokens;
using LazyAf.Modules.Access.Features.Tokens;
using LazyAf.Modules.Access.Features.Users;
using LazyAf.Modules.Access.Handlers;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Access;

/// <summary>
/// Access: nobody but its owner may drive LazyAF. Every request carries a token (the owner's lives in the data
/// directory; users get scoped API tokens; the board logs in with a one-time link; steps get short-lived tokens
/// for their own branch), browsers are held to the host's own names and origin, and writes are audited.
/// </summary>
public static class AccessModule
{
    /// <summary>Registers the module's schema, stores, the authentication scheme, the fallback policy and start-up work.</summary>
    public static IServiceCollection AddAccess(this IServiceCollection services)
    {
        services.AddModuleMigrations("access", typeof(AccessModule).Assembly);
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AccessOptions>, AccessOptionsValidation>();
        services.AddSingleton<UserStore>();
        services.AddSingleton<TokenStore>();
        services.AddSingleton<AuditStore>();
        services.AddSingleton<OwnerAccount>();
        services.AddSingleton<StepTokenRegistry>();
        services.AddSingleton<IStepTokens>(sp => sp.GetRequiredService<StepTokenRegistry>());
        services.AddSingleton<Callers>();
        services.AddSingleton<AuthFailureLimiter>();
        services.AddSingleton<LoginCodes>();
        services.AddHostedService<OwnerSetup>();
        services.AddHostedService<LoginLinkAnnouncer>();
        services.AddAuthentication(AccessAuthentication.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, AccessAuthentication>(AccessAuthentication.SchemeName, configureOptions: null);
        // An endpoint that names no scope still needs a credential; the few open ones say AllowAnonymous.
        services.AddAuthorization(options => options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ScopeRefusals>();
        return services;
    }

    /// <summary>The request pipeline's guards, in order: known host names, credentials, same origin, audit, scopes.</summary>
    public static IApplicationBuilder UseAccess(this IApplicationBuilder app)
    {
        app.UseMiddleware<HostAllowlist>();
        app.UseAuthentication();
        app.UseMiddleware<OriginGuard>();
        app.UseMiddleware<AuditTrail>();
        app.UseAuthorization();
        return app;
    }

    /// <summary>Maps login, <c>/api/me</c>, <c>/api/users</c>, <c>/api/tokens</c> and <c>/api/audit</c>, each with its own rule; returns the group.</summary>
    public static RouteGroupBuilder MapAccess(this IEndpointRouteBuilder endpoints)
    {
        var access = endpoints.MapGroup("").WithTags("Access");
        access.MapLogin();
        access.MapMe();
        access.MapUsers();
        access.MapTokens();
        access.MapAudit();
        return access;
    }

    private sealed class AccessOptionsValidation : IValidateOptions<AccessOptions>
    {
        public ValidateOptionsResult Validate(string? name, AccessOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
