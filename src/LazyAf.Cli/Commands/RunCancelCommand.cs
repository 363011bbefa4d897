using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf run cancel RUN</c>: the run ends cancelled at once; its running steps are killed, the others skipped.</summary>
internal static class RunCancelCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var runArgument = RunArgument.Create();
        var command = new Command("cancel", "Cancel a pipeline run: its running steps are killed, the steps that had not started are skipped") { runArgument };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await RunArgument.ResolveAsync(api, parse.GetValue(runArgument)!, ct);
            var run = await api.CancelPipelineRunAsync(id, ct) ?? throw RunArgument.NotFound(id);
            await context.Output.WriteLineAsync($"Cancelled {run.Pipeline} run {run.Id}; it is {run.State}");
            return 0;
        });
        return command;
    }
}
