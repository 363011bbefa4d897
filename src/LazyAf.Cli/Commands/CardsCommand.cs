using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf cards REPO [--status S]</c>: a repo's cards, column by column as the board shows them.</summary>
internal static class CardsCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var status = new Option<string?>("--status") { Description = "Only the cards with this status" };
        status.AcceptOnlyFromAmong(CardText.Statuses);
        var json = JsonOutput.CreateOption();
        var command = new Command("cards", "List a repo's cards by status and position") { repoArgument, status, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var only = parse.GetValue(status);
            // The repo can vanish between the two calls; that is still "no such repo".
            var cards = await api.ListCardsAsync(repo.Id, only, ct) ?? throw RepoArgument.NotFound(repo.Name);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, cards, ApiJson.Default.ListCardSummary);
                return 0;
            }
            if (cards.Count == 0)
            {
                await context.Output.WriteLineAsync(only is null
                    ? $"{repo.Name} has no cards yet; add one with: lazyaf card create {repo.Name} --title T --script CMD"
                    : $"{repo.Name} has no {only} cards");
                return 0;
            }
            var table = new TextTable("ID", "STATUS", "TITLE", "BRANCH");
            foreach (var card in cards.OrderBy(c => CardText.Column(c.Status)).ThenBy(c => c.Status, StringComparer.Ordinal).ThenBy(c => c.Position))
                table.Add(card.Id, card.Status, card.Title, card.BranchName ?? "");
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
