using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf pipeline runs REPO [--pipeline NAME] [--state S]</c>: a repo's pipeline runs, newest first.</summary>
internal static class PipelineRunsCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var pipeline = new Option<string?>("--pipeline") { Description = "Only this pipeline's runs" };
        var state = new Option<string?>("--state") { Description = "Only the runs in this state" };
        state.AcceptOnlyFromAmong("pending", "running", "passed", "failed", "cancelled");
        var json = JsonOutput.CreateOption();
        var command = new Command("runs", "List a repo's pipeline runs, newest first") { repoArgument, pipeline, state, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var runs = await api.ListPipelineRunsAsync(repo.Id, parse.GetValue(pipeline), parse.GetValue(state), ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, runs, ApiJson.Default.ListPipelineRun);
                return 0;
            }
            if (runs.Count == 0)
            {
                await context.Output.WriteLineAsync($"{repo.Name} has no pipeline runs" + (parse.GetValue(state) is { } s ? $" that are {s}" : ""));
                return 0;
            }
            var table = new TextTable("ID", "PIPELINE", "STATE", "BRANCH", "COMMIT", "TRIGGER", "TESTS", "CREATED", "ERROR");
            foreach (var run in runs)
            {
                table.Add(run.Id, run.Pipeline, run.State, run.Branch, run.CommitSha is { Length: >= 8 } sha ? sha[..8] : run.CommitSha ?? "",
                    run.TriggerKind, run.Tests?.ToString() ?? "", CardText.Time(run.CreatedAt), Summary(run.Error));
            }
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }

    // A run that failed before its first step (an invalid pipeline file, a missing branch) says why only here.
    private static string Summary(string? error)
    {
        var line = error?.Split('\n', 2)[0] ?? "";
        return line.Length <= MaxErrorChars ? line : line[..MaxErrorChars] + "…";
    }

    private const int MaxErrorChars = 120;
}
