using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Git;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf land REPO</c>: fetches a branch from LazyAF into a local clone and pushes it to the real
/// remote. A non-fast-forward is refused (git refuses it; we say why) unless <c>--force</c>.
/// </summary>
internal static class LandCommand
{
    private sealed record Request(string RepoIdOrName, string? Branch, string Remote, bool Force, string Directory);

    public static Command Create(CliContext context, ServerOptions server)
    {
        var repo = RepoArgument.Create();
        var branch = new Option<string?>("--branch") { Description = "The branch to land (default: the repo's default branch)" };
        var remote = new Option<string>("--remote") { Description = "The remote to push to", DefaultValueFactory = _ => "origin" };
        var force = new Option<bool>("--force") { Description = "Overwrite the remote branch even when it has commits LazyAF's lacks" };
        var directory = new Option<string?>("--directory", "-C") { Description = "The local clone to land from (default: the current directory)" };
        var command = new Command("land", "Push a branch from LazyAF to the real remote, through a local clone") { repo, branch, remote, force, directory };
        command.SetAction(async (parse, ct) =>
        {
            var request = new Request(parse.GetValue(repo)!, parse.GetValue(branch), parse.GetValue(remote)!, parse.GetValue(force),
                context.FullPath(parse.GetValue(directory) ?? "."));
            var connection = server.Connect(parse, context);
            using var api = new ApiClient(connection);
            await RunAsync(request, api, connection, context, ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(Request request, ApiClient api, Connection connection, CliContext context, CancellationToken ct)
    {
        var local = await LocalRepository.OpenAsync(request.Directory, context, connection, ct);
        if (await local.RemoteUrlAsync(request.Remote, ct) is null)
            throw new CliFailure($"{local.Path} has no remote named '{request.Remote}'");
        var repo = await RepoArgument.ResolveAsync(api, request.RepoIdOrName, ct);
        var branch = request.Branch ?? repo.DefaultBranch;
        var target = $"{request.Remote}/{branch}";

        var sha = await local.FetchBranchAsync(repo.CloneUrl, branch, ct)
            ?? throw new CliFailure($"LazyAF's {repo.Name} has no branch '{branch}'");
        var report = await local.PushAsync(request.Remote, [$"{sha}:refs/heads/{branch}"], request.Force, ct);
        if (report.Rejections.FirstOrDefault() is { } rejection)
        {
            throw new CliFailure(rejection.NonFastForward
                ? $"{target} has commits that LazyAF's {branch} does not; refusing a non-fast-forward push (use --force)"
                : $"{request.Remote} refused {branch}: {rejection.Summary}");
        }
        if (!report.Succeeded)
            throw new CliFailure($"pushing to {request.Remote} failed: {report.Result.ErrorLine}");

        var message = report.Refs switch
        {
            [{ UpToDate: true }, ..] => $"{target} is already at {sha}; nothing to land",
            [{ Forced: true }, ..] => $"Landed {repo.Name}/{branch} at {sha} on {target} (forced)",
            _ => $"Landed {repo.Name}/{branch} at {sha} on {target}",
        };
        await context.Output.WriteLineAsync(message);
    }
}
