using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Data;
using LazyAf.Modules.Access.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Access.Features.Users;

/// <summary><c>GET|POST /api/users</c> (admin): named users, who hold tokens and appear in card history and the audit log.</summary>
internal static class UserEndpoints
{
    public sealed record CreateUserRequest(string? Name);

    public sealed record UserResponse(string Id, string Name, bool Owner, DateTimeOffset CreatedAt)
    {
        public static UserResponse From(UserStore.User user) => new(user.Id, user.Name, user.IsOwner, user.CreatedAt);
    }

    public static void MapUsers(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/users", async (UserStore store, CancellationToken ct) => TypedResults.Ok((await store.ListAsync(ct)).Select(UserResponse.From).ToList()))
            .RequireScope(Scopes.Admin)
            .WithName("ListUsers").WithSummary("Every user, the owner first");
        endpoints.MapPost("/api/users", CreateAsync)
            .RequireScope(Scopes.Admin)
            .WithName("CreateUser").WithSummary("Add a user (then make tokens for it with POST /api/tokens)");
    }

    private static async Task<Results<Created<UserResponse>, ValidationProblem, ConflictProblem>> CreateAsync(
        CreateUserRequest request, UserStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!UserNames.IsValid(request.Name))
            return Problems.Invalid("name", UserNames.Rule);
        var user = new UserStore.User { Id = Ids.New(), Name = request.Name!, CreatedAt = clock.GetUtcNow() };
        if (!await store.TryInsertAsync(user, ct))
            return Problems.Conflict("Name taken", $"A user named '{request.Name}' already exists.");
        return TypedResults.Created($"/api/users/{user.Id}", UserResponse.From(user));
    }
}
