using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf card delete CARD</c>: removes a card that is not running (its branch stays in the repo).</summary>
internal static class CardDeleteCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var command = new Command("delete", "Delete a card that is not running (its branch, if any, stays)") { cardArgument };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var card = await api.FindCardAsync(id, ct) ?? throw CardArgument.NotFound(id);
            if (!await api.DeleteCardAsync(id, ct))
                throw CardArgument.NotFound(id);
            await context.Output.WriteLineAsync($"Deleted {card.Title} ({card.Id})");
            return 0;
        });
        return command;
    }
}
