using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf card cancel CARD</c>: stops the card's running step and the pipeline runs building its branch, and says which.</summary>
internal static class CardCancelCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var command = new Command("cancel", "Cancel what works on a card now: its running step (killed) and the pipeline runs building its branch") { cardArgument };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var cancel = await api.CancelCardAsync(id, ct) ?? throw CardArgument.NotFound(id);
            if (cancel.Execution is { } execution)
                await context.Output.WriteLineAsync(execution.Outcome == "stopping"
                    ? $"Cancelling attempt {execution.Attempt} of card {id} (execution {execution.Id}): it stops when its executor has killed it (lazyaf logs {execution.Id} -f waits for that)"
                    : $"Cancelled attempt {execution.Attempt} of card {id} (execution {execution.Id})");
            foreach (var run in cancel.PipelineRuns)
                await context.Output.WriteLineAsync($"Cancelled pipeline run {run} of card {id}");
            return 0;
        });
        return command;
    }
}
