using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf card start CARD</c> and <c>lazyaf card retry CARD</c>: ask LazyAF to run the card's step
/// (again). They differ only in the endpoint, so one file makes both. Until the host has an executor it
/// answers 501 (or 409 when the card may not move), which the CLI reports as its one failure line.
/// </summary>
internal static class CardRunCommand
{
    public static Command Create(CliContext context, Option<string?> server, string action, string description, string done)
    {
        var cardArgument = CardArgument.Create();
        var command = new Command(action, description) { cardArgument };
        command.SetAction(async (parse, ct) =>
        {
            var id = parse.GetValue(cardArgument)!;
            using var api = new ApiClient(ServerAddress.Resolve(parse, server, context));
            if (!await api.RunCardAsync(id, action, ct))
                throw CardArgument.NotFound(id);
            await context.Output.WriteLineAsync($"{done} card {id}");
            return 0;
        });
        return command;
    }
}
