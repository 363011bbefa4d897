using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf repos</c>: every repo LazyAF hosts.</summary>
internal static class ReposCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var json = JsonOutput.CreateOption();
        var command = new Command("repos", "List the repos LazyAF hosts") { json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repos = await api.ListReposAsync(ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, repos, ApiJson.Default.ListRepo);
                return 0;
            }
            if (repos.Count == 0)
            {
                await context.Output.WriteLineAsync("No repos yet; add one with: lazyaf ingest PATH");
                return 0;
            }
            var table = new TextTable("NAME", "ID", "DEFAULT BRANCH", "CLONE URL");
            foreach (var repo in repos)
                table.Add(repo.Name, repo.Id, repo.DefaultBranch, repo.CloneUrl);
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
