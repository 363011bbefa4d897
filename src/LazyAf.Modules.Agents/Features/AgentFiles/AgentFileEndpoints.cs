using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Agents.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Agents.Features.AgentFiles;

/// <summary>The body of a new or replaced agent file.</summary>
internal sealed record AgentFileRequest(string? Name, string? Description, string? Content, string? Model);

/// <summary>Platform agent files: <c>/api/agent-files</c>, unique by name.</summary>
internal static class AgentFileEndpoints
{
    public static void MapAgentFiles(this IEndpointRouteBuilder api)
    {
        var files = api.MapGroup("/agent-files").WithTags("Agent files");
        files.MapGet("/", async (AgentFileStore store, CancellationToken ct) => TypedResults.Ok(await store.ListAsync(ct)))
            .WithName("ListAgentFiles").WithSummary("All platform agent files, by name");
        files.MapPost("/", CreateAsync).WithName("CreateAgentFile").WithSummary("Create an agent file (409 when the name is taken)");
        files.MapGet("/{id}", async Task<Results<Ok<AgentFile>, NotFoundProblem>> (string id, AgentFileStore store, CancellationToken ct) =>
                Ids.IsValid(id) && await store.FindAsync(id, ct) is { } file ? TypedResults.Ok(file) : Problems.NotFound("agent file", id))
            .WithName("GetAgentFile").WithSummary("One agent file");
        files.MapGet("/by-name/{name}", async Task<Results<Ok<AgentFile>, NotFoundProblem>> (string name, AgentFileStore store, CancellationToken ct) =>
                await store.FindByNameAsync(name, ct) is { } file ? TypedResults.Ok(file) : Problems.NotFound("agent file", name))
            .WithName("GetAgentFileByName").WithSummary("One agent file, by name");
        files.MapPut("/{id}", ReplaceAsync).WithName("ReplaceAgentFile").WithSummary("Replace an agent file's name, description, content and model");
        files.MapDelete("/{id}", async Task<Results<NoContent, NotFoundProblem>> (string id, AgentFileStore store, CancellationToken ct) =>
                Ids.IsValid(id) && await store.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("agent file", id))
            .WithName("DeleteAgentFile").WithSummary("Delete an agent file");
    }

    private static async Task<Results<Created<AgentFile>, ValidationProblem, ConflictProblem>> CreateAsync(
        AgentFileRequest request, AgentFileStore store, TimeProvider clock, CancellationToken ct)
    {
        if (AgentFileRules.Check(request.Name, request.Content, request.Description) is { Count: > 0 } errors)
            return Problems.Invalid(errors);
        var now = clock.GetUtcNow();
        var file = new AgentFile(Ids.New(), request.Name!, request.Description ?? "", request.Content!, request.Model, now, now);
        return await store.TrySaveAsync(file, ct)
            ? TypedResults.Created($"/api/agent-files/{file.Id}", file)
            : NameTaken(file.Name);
    }

    private static async Task<Results<Ok<AgentFile>, ValidationProblem, NotFoundProblem, ConflictProblem>> ReplaceAsync(
        string id, AgentFileRequest request, AgentFileStore store, TimeProvider clock, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await store.FindAsync(id, ct) is not { } existing)
            return Problems.NotFound("agent file", id);
        if (AgentFileRules.Check(request.Name, request.Content, request.Description) is { Count: > 0 } errors)
            return Problems.Invalid(errors);
        var file = existing with { Name = request.Name!, Description = request.Description ?? "", Content = request.Content!, Model = request.Model, UpdatedAt = clock.GetUtcNow() };
        return await store.TrySaveAsync(file, ct) ? TypedResults.Ok(file) : NameTaken(file.Name);
    }

    private static ConflictProblem NameTaken(string name) =>
        Problems.Conflict("Name taken", $"An agent file named '{name}' already exists.");
}
