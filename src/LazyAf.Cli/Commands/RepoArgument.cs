using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary>The <c>REPO</c> argument that commands share: a repo's id or its name.</summary>
internal static class RepoArgument
{
    public static Argument<string> Create() => new("repo") { Description = "The repo's name or id (see: lazyaf repos)" };

    /// <summary>The repo <paramref name="idOrName"/> names; a <see cref="CliFailure"/> when LazyAF has none.</summary>
    public static async Task<Repo> ResolveAsync(ApiClient api, string idOrName, CancellationToken ct) =>
        await api.FindRepoAsync(idOrName, ct) ?? throw NotFound(idOrName);

    public static CliFailure NotFound(string idOrName) => new($"no repo named '{idOrName}' (lazyaf repos lists them)");
}
