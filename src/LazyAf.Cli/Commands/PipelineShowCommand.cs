using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf pipeline show RUN</c>: a run's state, commit and error, and its steps with their latest attempts.</summary>
internal static class PipelineShowCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var runArgument = RunArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("show", "Show a pipeline run: state, commit, steps with attempts, timing and tests") { runArgument, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await RunArgument.ResolveAsync(api, parse.GetValue(runArgument)!, ct);
            var run = await api.FindPipelineRunAsync(id, ct) ?? throw RunArgument.NotFound(id);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, run, ApiJson.Default.PipelineRun);
                return 0;
            }
            var output = context.Output;
            await output.WriteLineAsync($"{run.Pipeline} run {run.Id}: {run.State}");
            // A finished run that committed nothing has no work branch left to point at.
            var committedNothing = run.IsFinished && run.HeadSha == run.CommitSha;
            await output.WriteLineAsync(committedNothing || run.WorkBranch == run.Branch
                ? $"  branch:   {run.Branch}"
                : $"  branch:   {run.Branch} (work on {run.WorkBranch})");
            await output.WriteLineAsync($"  commit:   {run.CommitSha ?? "none"}");
            if (run.HeadSha is { } head && head != run.CommitSha)
                await output.WriteLineAsync($"  ended at: {head} (its steps committed on {run.WorkBranch})");
            await output.WriteLineAsync($"  trigger:  {run.TriggerKind}");
            if (run.Tests is { } tests)
                await output.WriteLineAsync($"  tests:    {tests}");
            if (run.Error is { } error)
                await output.WriteLineAsync($"  error:    {error}");
            await output.WriteLineAsync();
            var table = new TextTable("STEP", "STATE", "ATTEMPT", "TESTS", "STARTED", "FINISHED", "EXECUTION");
            foreach (var step in run.Steps)
            {
                table.Add(step.Id, step.State, step.Attempt == 0 ? "" : $"#{step.Attempt}", step.Tests?.ToString() ?? "",
                    step.StartedAt is { } started ? CardText.Time(started) : "", step.FinishedAt is { } finished ? CardText.Time(finished) : "", step.ExecutionId ?? "");
            }
            await table.WriteToAsync(output);
            return 0;
        });
        return command;
    }
}
