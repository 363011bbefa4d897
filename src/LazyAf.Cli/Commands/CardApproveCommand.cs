using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf card approve CARD [--target B]</c>: merges a card in review into its base (or B) and marks it
/// done. A merge conflict changes nothing and fails with the conflicting files.
/// </summary>
internal static class CardApproveCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var target = new Option<string?>("--target") { Description = "Merge into this branch (default: the card's base, else the repo's default)" };
        var command = new Command("approve", "Merge a card in review into its base branch and mark it done") { cardArgument, target };
        command.SetAction(async (parse, ct) =>
        {
                        var into = parse.GetValue(target);
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var card = await api.ApproveCardAsync(id, into, ct) ?? throw CardArgument.NotFound(id);
            var where = into ?? card.BaseBranch ?? (await api.FindRepoAsync(card.RepoId, ct))?.DefaultBranch ?? "the repo's default branch";
            await context.Output.WriteLineAsync($"Approved {card.Title} ({card.Id}): merged {card.BranchName} into {where}; it is {card.Status}");
            return 0;
        });
        return command;
    }
}
