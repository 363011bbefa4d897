using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf repo delete</c>: removes a repo from LazyAF, with everything LazyAF holds of it.</summary>
internal static class RepoCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("repo", "Manage one repo") { Delete(context, server) };

    private static Command Delete(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var yes = new Option<bool>("--yes") { Description = "Really delete: there is no undo" };
        var command = new Command("delete", "Delete a repo from LazyAF: its git data, cards, pipelines, runs, logs and webhooks (running steps are stopped)")
        {
            repoArgument,
            yes,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            // Nothing of it can be brought back, so the user says so explicitly, as with gh repo delete.
            if (!parse.GetValue(yes))
                throw new CliFailure($"deleting {repo.Name} removes its git data, cards, pipelines, runs, logs and webhooks for good; run again with --yes");
            if (!await api.DeleteRepoAsync(repo.Id, ct))
                throw RepoArgument.NotFound(repo.Name);
            await context.Output.WriteLineAsync($"Deleted repo {repo.Name} ({repo.Id}); your own clones and their remotes are untouched");
            return 0;
        });
        return command;
    }
}
