using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf card reject CARD [--reason R]</c>: sends a card in review back to todo.</summary>
internal static class CardRejectCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var reason = new Option<string?>("--reason") { Description = "Why, for the card's history" };
        var command = new Command("reject", "Send a card in review back to todo") { cardArgument, reason };
        command.SetAction(async (parse, ct) =>
        {
                        using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var card = await api.RejectCardAsync(id, parse.GetValue(reason), ct) ?? throw CardArgument.NotFound(id);
            await context.Output.WriteLineAsync($"Rejected {card.Title} ({card.Id}); it is {card.Status} again");
            return 0;
        });
        return command;
    }
}
