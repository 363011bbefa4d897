using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf pipeline run REPO NAME [--branch B] [--commit SHA] [--param K=V]… [-f]</c>: starts the pipeline the branch sees by that
/// name and prints the run id first. With <c>-f</c> it prints each step's state as it changes, its output as it runs and how long it took, and exits 1 unless the run passed.
/// </summary>
internal static class PipelineRunCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var name = new Argument<string>("name") { Description = "The pipeline's name (a .lazyaf/pipelines/ file on the branch, or a stored pipeline)" };
        var branch = new Option<string?>("--branch", "-b") { Description = "The branch to build (default: the repo's default branch)" };
        var commit = new Option<string?>("--commit") { Description = "The commit to build (default: the branch's head now)" };
        var parameters = new Option<string[]>("--param", "-p") { Description = "NAME=value, an environment variable for every step; repeatable", HelpName = "NAME=VALUE" };
        var follow = LogsCommand.FollowOption("Print each step's output and state, with durations, until the run ends; exit 1 unless it passed");
        var command = new Command("run", "Run a pipeline on a branch or commit; prints the run id first") { repoArgument, name, branch, commit, parameters, follow };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var pipeline = parse.GetValue(name)!;
            var request = new RunPipelineRequest(parse.GetValue(branch), parse.GetValue(commit), Params(parse.GetValue(parameters) ?? []));
            var run = await api.RunPipelineAsync(repo.Id, pipeline, request, ct) ?? throw new CliFailure($"no pipeline '{pipeline}' in {repo.Name}");
            await context.Output.WriteLineAsync(run.Id);
            await context.Output.WriteLineAsync($"Started pipeline {run.Pipeline} on {run.Branch} at {run.CommitSha ?? "no commit"}");
            if (!parse.GetValue(follow))
                return 0;
            var ended = await FollowAsync(api, context, run, ct);
            if (ended.State != "passed")
                throw new CliFailure($"run {ended.Id} {ended.State}: {ended.Error}");
            await context.Output.WriteLineAsync($"Run {ended.Id} passed" + (ended.Tests is { } t ? $"; tests {t}" : ""));
            return 0;
        });
        return command;
    }

    private static Dictionary<string, string> Params(string[] values)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var split = value.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0)
                throw new CliFailure($"--param takes NAME=value, not '{value}'");
            parameters[value[..split]] = value[(split + 1)..];
        }
        return parameters;
    }

    /// <summary>
    /// Follows the run to its end: each step's state as it changes (with how long it took once it ended), and each step's output
    /// as it runs, marked with the step. Steps that run side by side are shown one after the other (each from its start, so
    /// nothing is lost). Ctrl-C stops following, not the run, and says how to cancel it.
    /// </summary>
    private static async Task<PipelineRun> FollowAsync(ApiClient api, CliContext context, PipelineRun run, CancellationToken ct)
    {
        try
        {
            return await FollowStepsAsync(api, context, run, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw StillRunning.Failure($"run {run.Id}", $"lazyaf run cancel {run.Id}");
        }
    }

    private static async Task<PipelineRun> FollowStepsAsync(ApiClient api, CliContext context, PipelineRun run, CancellationToken ct)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var streamed = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            await WriteStatesAsync(context.Output, run, seen);
            if (run.Steps.FirstOrDefault(s => s.ExecutionId is { } e && !streamed.Contains(e)) is { ExecutionId: { } execution } step)
            {
                streamed.Add(execution);
                var writer = new StepLogWriter(context.Output, context.Error, step.Id);
                await api.ReadLogsAsync(execution, 0, follow: true, writer.WriteAsync, ct);
                await writer.EndLinesAsync();
            }
            else if (run.IsFinished && run.Steps.All(s => s.State is not ("pending" or "running")))
                return run;
            else
                await Task.Delay(Poll, ct);
            run = await api.FindPipelineRunAsync(run.Id, ct) ?? throw new CliFailure($"run {run.Id} is gone");
        }
    }

    private static async Task WriteStatesAsync(TextWriter output, PipelineRun run, Dictionary<string, string> seen)
    {
        foreach (var step in run.Steps.Where(s => seen.GetValueOrDefault(s.Id) != $"{s.State}#{s.Attempt}" && s.State != "waiting"))
        {
            seen[step.Id] = $"{step.State}#{step.Attempt}";
            var took = step is { StartedAt: { } started, FinishedAt: { } finished } ? $" in {Durations.Of(finished - started)}" : "";
            await output.WriteLineAsync($"  {step.Id}: {step.State}{took}" + (step.Attempt > 1 ? $" (attempt {step.Attempt})" : "")
                + (step.Tests is { } tests ? $", tests {tests}" : ""));
        }
    }
}
