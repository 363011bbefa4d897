using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf card block CARD BLOCKER…</c> and <c>lazyaf card unblock CARD BLOCKER</c>: the cards a card waits for (same repo,
/// never a cycle); a card is started only once its blockers are done.
/// </summary>
internal static class CardDependencyCommands
{
    public static Command Block(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var blockers = new Argument<string[]>("blockers") { Description = "The cards it waits for (ids, prefixes or branch suffixes)", Arity = ArgumentArity.OneOrMore };
        var command = new Command("block", "Make a card wait for other cards of its repo (a cycle is refused)") { cardArgument, blockers };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var blockerIds = new List<string>();
            foreach (var blocker in parse.GetValue(blockers)!)
                blockerIds.Add(await CardArgument.ResolveAsync(api, blocker, ct));
            var card = await api.AddDependenciesAsync(id, blockerIds, ct) ?? throw await MissingAsync(api, [id, .. blockerIds], ct);
            await context.Output.WriteLineAsync($"{card.Title} ({card.Id}) waits for: "
                + string.Join(", ", card.BlockedBy.Select(b => $"{b.Id} ({b.Status}: {b.Title})")));
            return 0;
        });
        return command;
    }

    /// <summary>Which of the cards a 404 was about (the API's answer names one, but the CLI reads a 404 as "none").</summary>
    private static async Task<CliFailure> MissingAsync(ApiClient api, List<string> cardIds, CancellationToken ct)
    {
        foreach (var cardId in cardIds)
        {
            if (await api.FindCardAsync(cardId, ct) is null)
                return CardArgument.NotFound(cardId);
        }
        return new CliFailure($"a card among {string.Join(", ", cardIds)} was deleted meanwhile");
    }

    public static Command Unblock(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var blocker = CardArgument.Create("blocker");
        var command = new Command("unblock", "Stop a card waiting for one of its blockers") { cardArgument, blocker };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var card = await api.FindCardAsync(id, ct) ?? throw CardArgument.NotFound(id);
            var given = parse.GetValue(blocker)!;
            // The blocker is looked for among the card's blockers: that is where a prefix must be unique.
            var blockerId = card.BlockedBy.Select(b => b.Id).Where(b => IdPrefix.Matches(b, given)).ToList() switch
            {
                [var one] => one,
                [] => throw new CliFailure($"card {card.Id} is not blocked by '{given}'"
                    + (card.BlockedBy.Count == 0 ? " (it waits for nothing)" : $" (it waits for {string.Join(", ", card.BlockedBy.Select(b => b.Id))})")),
                var several => throw new CliFailure($"blocker '{given}' is ambiguous, it could be: {string.Join(", ", several)}; type more of the id"),
            };
            if (!await api.RemoveDependencyAsync(id, blockerId, ct))
                throw new CliFailure($"card {card.Id} is not blocked by '{blockerId}'");
            await context.Output.WriteLineAsync($"{card.Title} ({card.Id}) no longer waits for {blockerId}");
            return 0;
        });
        return command;
    }
}
