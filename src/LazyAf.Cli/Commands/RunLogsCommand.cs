using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf run logs RUN STEP [-f] [--attempt N]</c>: a pipeline step's output (its latest attempt unless one is named), as
/// <c>lazyaf logs</c> prints an execution's. With <c>-f</c> it follows until the step ends and exits 1 unless it passed.
/// </summary>
internal static class RunLogsCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var run = RunArgument.Create();
        var step = new Argument<string>("step") { Description = "The step's id" };
        var attempt = new Option<int?>("--attempt") { Description = "Which attempt (default: the latest)" };
        var follow = LogsCommand.FollowOption("Keep streaming until the step ends; exit 1 unless it passed");
        var command = new Command("logs", "Print a pipeline step's output; -f follows it until it ends") { run, step, attempt, follow };
        command.SetAction(async (parse, ct) =>
        {
            var (stepId, following) = (parse.GetValue(step)!, parse.GetValue(follow));
            using var api = new ApiClient(server.Connect(parse, context));
            var runId = await RunArgument.ResolveAsync(api, parse.GetValue(run)!, ct);
            var writer = new LogWriter(context.Output, context.Error);
            try
            {
                if (!await api.ReadStepLogsAsync(runId, stepId, parse.GetValue(attempt), following, writer.WriteAsync, ct))
                    throw new CliFailure($"no step '{stepId}' that has run in pipeline run '{runId}'");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                await writer.EndLinesAsync();
                throw StillRunning.Failure($"run {runId}", $"lazyaf run cancel {runId}");
            }
            await writer.EndLinesAsync();
            if (!following)
                return 0;
            var ended = await EndedAsync(api, runId, stepId, ct);
            if (ended?.State != "passed")
                throw new CliFailure($"step {stepId} of run {runId} is {ended?.State ?? "gone"}" + (ended?.Error is { } error ? $": {error}" : ""));
            await context.Error.WriteLineAsync($"step {stepId} passed");
            return 0;
        });
        return command;
    }

    // The output ends with the execution; the run records the step's end a moment later.
    private static async Task<PipelineRunStep?> EndedAsync(ApiClient api, string runId, string stepId, CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(30);
        while (true)
        {
            var step = (await api.FindPipelineRunAsync(runId, ct))?.Steps.FirstOrDefault(s => s.Id == stepId);
            if (step?.State is not ("pending" or "running") || DateTimeOffset.UtcNow > deadline)
                return step;
            await Task.Delay(TimeSpan.FromMilliseconds(200), ct);
        }
    }
}
