using System.Text.RegularExpressions;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.Secrets;

/// <summary>
/// Secrets of a repo (<c>/api/repos/{id}/secrets</c>) and of every repo (<c>/api/secrets</c>). A step gets those it
/// names in its <c>secrets</c> as environment variables, the repo's winning over a global one of the same name, and
/// everything a step sends back masks their values. The API never gives a value back, only names.
/// </summary>
internal static partial class SecretEndpoints
{
    public const int MaxValue = 64 * 1024;

    public sealed record SetSecretRequest(string? Value);

    /// <summary>A secret as the API shows it: its name and when it was last set, never its value.</summary>
    public sealed record SecretResponse(string Name, DateTimeOffset UpdatedAt);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex NamePattern();

    /// <summary>True when <paramref name="name"/> can be a secret's name (an environment variable name).</summary>
    public static bool IsName(string name) => NamePattern().IsMatch(name);

    public static void MapSecrets(this IEndpointRouteBuilder api)
    {
        api.MapGet("/{id}/secrets", async Task<Results<Ok<IReadOnlyList<SecretResponse>>, NotFoundProblem>> (string id, RepoStore repos, SecretStore secrets, CancellationToken ct) =>
                await repos.FindValidAsync(id, ct) is null ? Problems.NotFound("repo", id) : TypedResults.Ok(await NamesAsync(secrets, id, ct)))
            .WithName("ListSecrets").WithSummary("The names of a repo's secrets (values are never returned)");
        api.MapPut("/{id}/secrets/{name}", async Task<Results<NoContent, ValidationProblem, NotFoundProblem>> (string id, string name, SetSecretRequest request, RepoStore repos, SecretStore secrets, CancellationToken ct) =>
                await repos.FindValidAsync(id, ct) is null ? Problems.NotFound("repo", id) : await SetAsync(id, name, request, secrets, ct))
            .WithName("SetSecret").WithSummary("Create or replace a repo's secret; steps that name it get it as an environment variable, output masks it");
        api.MapDelete("/{id}/secrets/{name}", async Task<Results<NoContent, NotFoundProblem>> (string id, string name, RepoStore repos, SecretStore secrets, CancellationToken ct) =>
                await repos.FindValidAsync(id, ct) is null ? Problems.NotFound("repo", id) : await DeleteAsync(id, name, secrets, ct))
            .WithName("DeleteSecret").WithSummary("Delete a repo's secret");
    }

    public static void MapGlobalSecrets(this IEndpointRouteBuilder global)
    {
        global.MapGet("", async (SecretStore secrets, CancellationToken ct) => TypedResults.Ok(await NamesAsync(secrets, null, ct)))
            .WithName("ListGlobalSecrets").WithSummary("The names of the secrets every repo's steps can name (values are never returned)");
        global.MapPut("/{name}", (string name, SetSecretRequest request, SecretStore secrets, CancellationToken ct) => SetAsync(null, name, request, secrets, ct))
            .WithName("SetGlobalSecret").WithSummary("Create or replace a global secret; a repo's secret of the same name wins for its steps");
        global.MapDelete("/{name}", (string name, SecretStore secrets, CancellationToken ct) => DeleteAsync(null, name, secrets, ct))
            .WithName("DeleteGlobalSecret").WithSummary("Delete a global secret");
    }

    private static async Task<IReadOnlyList<SecretResponse>> NamesAsync(SecretStore secrets, string? repoId, CancellationToken ct) =>
        [.. (await secrets.NamesAsync(repoId, ct)).Select(s => new SecretResponse(s.Name, s.UpdatedAt))];

    private static async Task<Results<NoContent, ValidationProblem, NotFoundProblem>> SetAsync(
        string? repoId, string name, SetSecretRequest request, SecretStore secrets, CancellationToken ct)
    {
        if (!IsName(name))
            return Problems.Invalid("name", "A secret's name is an environment variable name: letters, digits and '_', not starting with a digit.");
        if (string.IsNullOrEmpty(request.Value) || request.Value.Length > MaxValue)
            return Problems.Invalid("value", $"value must be 1 to {MaxValue} characters.");
        await secrets.SetAsync(repoId, name, request.Value, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Results<NoContent, NotFoundProblem>> DeleteAsync(string? repoId, string name, SecretStore secrets, CancellationToken ct) =>
        await secrets.DeleteAsync(repoId, name, ct) ? TypedResults.NoContent() : Problems.NotFound("secret", name);
}
