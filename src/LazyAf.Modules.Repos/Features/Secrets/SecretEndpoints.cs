using System.Text.RegularExpressions;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Repos.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Repos.Features.Secrets;

/// <summary>
/// A repo's secrets: steps get them as environment variables and every log masks their values.
/// The API never gives a value back, only names.
/// </summary>
internal static partial class SecretEndpoints
{
    public const int MaxValue = 64 * 1024;

    public sealed record SetSecretRequest(string? Value);

    /// <summary>A secret as the API shows it: its name and when it was last set, never its value.</summary>
    public sealed record SecretResponse(string Name, DateTimeOffset UpdatedAt);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,127}$")]
    private static partial Regex NamePattern();

    public static void MapSecrets(this IEndpointRouteBuilder api)
    {
        api.MapGet("/{id}/secrets", async Task<Results<Ok<IReadOnlyList<SecretResponse>>, NotFoundProblem>> (string id, RepoStore repos, SecretStore secrets, CancellationToken ct) =>
                await repos.FindValidAsync(id, ct) is null
                    ? Problems.NotFound("repo", id)
                    : TypedResults.Ok<IReadOnlyList<SecretResponse>>([.. (await secrets.NamesAsync(id, ct)).Select(s => new SecretResponse(s.Name, s.UpdatedAt))]))
            .WithName("ListSecrets").WithSummary("The names of a repo's secrets (values are never returned)");
        api.MapPut("/{id}/secrets/{name}", SetAsync)
            .WithName("SetSecret").WithSummary("Create or replace a secret; steps get it as an environment variable, logs mask it");
        api.MapDelete("/{id}/secrets/{name}", async Task<Results<NoContent, NotFoundProblem>> (string id, string name, RepoStore repos, SecretStore secrets, CancellationToken ct) =>
                await repos.FindValidAsync(id, ct) is null ? Problems.NotFound("repo", id)
                : await secrets.DeleteAsync(id, name, ct) ? TypedResults.NoContent() : Problems.NotFound("secret", name))
            .WithName("DeleteSecret").WithSummary("Delete a secret");
    }

    private static async Task<Results<NoContent, ValidationProblem, NotFoundProblem>> SetAsync(
        string id, string name, SetSecretRequest request, RepoStore repos, SecretStore secrets, CancellationToken ct)
    {
        if (await repos.FindValidAsync(id, ct) is null)
            return Problems.NotFound("repo", id);
        if (!NamePattern().IsMatch(name))
            return Problems.Invalid("name", "A secret's name is an environment variable name: letters, digits and '_', not starting with a digit.");
        if (string.IsNullOrEmpty(request.Value) || request.Value.Length > MaxValue)
            return Problems.Invalid("value", $"value must be 1 to {MaxValue} characters.");
        await secrets.SetAsync(id, name, request.Value, ct);
        return TypedResults.NoContent();
    }
}
