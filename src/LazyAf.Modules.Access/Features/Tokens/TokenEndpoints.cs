using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Data;
using LazyAf.Modules.Access.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Access.Features.Tokens;

/// <summary>
/// <c>/api/tokens</c> (admin): API tokens with scopes and an expiry, shown once when made and stored only as a hash;
/// listed with their last use; revoked with DELETE.
/// </summary>
internal static class TokenEndpoints
{
    public const int DefaultExpiryDays = 90;
    public const int MaxExpiryDays = 3650;

    /// <summary>A new token: for <paramref name="User"/> (default: the caller), with a name and scopes.</summary>
    public sealed record CreateTokenRequest(string? Name, IReadOnlyList<string>? Scopes, string? User, int? ExpiresInDays);

    public sealed record TokenResponse(
        string Id, string User, string Kind, string Name, IReadOnlyList<string> Scopes,
        DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
    {
        public static TokenResponse From(TokenStore.TokenRow row) =>
            new(row.Id, row.UserName, row.Kind, row.Name, row.ScopeList, row.CreatedAt, row.ExpiresAt, row.RevokedAt, row.LastUsedAt);
    }

    /// <summary>The made token: <paramref name="Token"/> is shown this once.</summary>
    public sealed record CreatedTokenResponse(string Token, TokenResponse Details);

    public static void MapTokens(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/tokens", async (TokenStore store, CancellationToken ct) => TypedResults.Ok((await store.ListAsync(ct)).Select(TokenResponse.From).ToList()))
            .RequireScope(Scopes.Admin)
            .WithName("ListTokens").WithSummary("Every token (owner, API, board sessions), never the token itself");
        endpoints.MapPost("/api/tokens", CreateAsync)
            .RequireScope(Scopes.Admin)
            .WithName("CreateToken").WithSummary("Make an API token; its value is in the answer only");
        endpoints.MapDelete("/api/tokens/{id}", RevokeAsync)
            .RequireScope(Scopes.Admin)
            .WithName("RevokeToken").WithSummary("Revoke a token at once (the owner token is replaced by deleting owner.token and restarting)");
    }

    private static async Task<Results<Created<CreatedTokenResponse>, ValidationProblem, NotFoundProblem>> CreateAsync(
        CreateTokenRequest request, HttpContext http, UserStore users, TokenStore tokens, TimeProvider clock, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 64)
            errors["name"] = ["A token needs a name of 1 to 64 characters (what it is for, e.g. 'ci')."];
        if (request.Scopes is not { Count: > 0 } scopes || scopes.Any(s => !Contracts.Scopes.IsKnown(s)))
            errors["scopes"] = [$"scopes must name one or more of: {string.Join(", ", Contracts.Scopes.All)}."];
        if (request.ExpiresInDays is < 1 or > MaxExpiryDays)
            errors["expires_in_days"] = [$"expires_in_days must be 1 to {MaxExpiryDays} (default {DefaultExpiryDays})."];
        if (errors.Count > 0)
            return Problems.Invalid(errors);

        var userName = request.User ?? http.User.Identity!.Name!;
        if (await users.FindByNameAsync(userName, ct) is not { } user)
            return Problems.NotFound("user", userName);
        var token = TokenSecret.New();
        var id = Ids.New();
        var now = clock.GetUtcNow();
        await tokens.InsertAsync(id, user.Id, TokenKinds.Api, request.Name!.Trim(), TokenSecret.Hash(token), request.Scopes!.Distinct(),
            now, now.AddDays(request.ExpiresInDays ?? DefaultExpiryDays), ct);
        var row = await tokens.FindAsync(id, ct);
        return TypedResults.Created($"/api/tokens/{id}", new CreatedTokenResponse(token, TokenResponse.From(row!)));
    }

    private static async Task<Results<NoContent, NotFoundProblem, ConflictProblem>> RevokeAsync(string id, TokenStore tokens, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await tokens.FindAsync(id, ct) is not { } row)
            return Problems.NotFound("token", id);
        if (row.Kind == TokenKinds.Owner)
            return Problems.Conflict("The owner token stays", "The owner token is not revoked through the API: delete owner.token in the data directory and restart the host, which makes a new one.");
        await tokens.RevokeAsync(id, clock.GetUtcNow(), ct);
        return TypedResults.NoContent();
    }
}
