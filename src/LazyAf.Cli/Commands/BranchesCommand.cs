using System.CommandLine;
using System.Globalization;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf branches REPO</c>: a repo's branches with their tips; the default is marked <c>*</c>.</summary>
internal static class BranchesCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("branches", "List a repo's branches and their tip commits") { repoArgument, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            // The repo can vanish between the two calls; that is still "no such repo".
            var branches = await api.ListBranchesAsync(repo.Id, ct) ?? throw RepoArgument.NotFound(repo.Name);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, branches, ApiJson.Default.ListBranch);
                return 0;
            }
            if (branches.Count == 0)
            {
                await context.Output.WriteLineAsync($"{repo.Name} has no branches yet; push one with: lazyaf ingest PATH");
                return 0;
            }
            var table = new TextTable("", "BRANCH", "SHA", "COMMITTED", "SUBJECT");
            foreach (var branch in branches)
            {
                table.Add(branch.IsDefault ? "*" : "", branch.Name, branch.Sha[..Math.Min(12, branch.Sha.Length)],
                    branch.CommittedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture), branch.Subject);
            }
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
