using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>What a registration token is for and how long it lasts.</summary>
/// <param name="Description">A note for people ("the Pi on the bench").</param>
/// <param name="ExpiresInMinutes">How long it works (default 60, at most 30 days).</param>
/// <param name="Uses">How many runners may register with it (default 1); 0 for any number until it expires.</param>
internal sealed record CreateRunnerTokenRequest(string? Description, int? ExpiresInMinutes, int? Uses);

/// <summary>A new registration token, shown this once.</summary>
/// <param name="Id">Its id.</param>
/// <param name="Token">The token, for <c>lazyaf-native-agent --token</c>.</param>
/// <param name="ExpiresAt">When it stops working.</param>
/// <param name="Uses">How many registrations it allows; null for any number.</param>
/// <param name="RunnerUrl">The host's runner endpoint as configured (<c>Runners:Url</c>), for <c>--server</c>; null when unset.</param>
internal sealed record RunnerTokenResponse(string Id, string Token, DateTimeOffset ExpiresAt, int? Uses, string? RunnerUrl);

internal static class CreateRunnerTokenEndpoint
{
    private const int MaxMinutes = 30 * 24 * 60;

    public static void MapCreateRunnerToken(this IEndpointRouteBuilder api) =>
        api.MapPost("/tokens", HandleAsync)
            .WithName("CreateRunnerToken")
            .WithSummary("A registration token: a runner's first hello brings it and gets the runner's own credential");

    private static async Task<Results<Created<RunnerTokenResponse>, ValidationProblem>> HandleAsync(
        CreateRunnerTokenRequest request, RunnerStore runners, RunnerOptions options, TimeProvider clock, CancellationToken ct)
    {
        var minutes = request.ExpiresInMinutes ?? 60;
        if (minutes is < 1 or > MaxMinutes)
            return Problems.Invalid("expires_in_minutes", $"expires_in_minutes must be 1 to {MaxMinutes}.");
        if (request.Uses is < 0)
            return Problems.Invalid("uses", "uses must be 0 (any number) or more.");
        var uses = request.Uses ?? 1;
        var id = Ids.New();
        var token = RunnerCredentials.NewRegistrationToken();
        var expiresAt = clock.GetUtcNow().AddMinutes(minutes);
        await runners.CreateTokenAsync(id, token, request.Description ?? "", uses == 0 ? null : uses, expiresAt, ct);
        return TypedResults.Created($"/api/runners/tokens/{id}", new RunnerTokenResponse(id, token, expiresAt, uses == 0 ? null : uses, options.Url is { Length: > 0 } url ? url : null));
    }
}
