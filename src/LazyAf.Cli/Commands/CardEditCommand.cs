using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf card edit CARD [--title T] [--description D] [--branch B] [--base B] [--requires L]… [--auto-start true|false]</c>.</summary>
internal static class CardEditCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var title = new Option<string?>("--title", "-t") { Description = "The new title" };
        var description = new Option<string?>("--description", "-d") { Description = "The new description (the agent's task)" };
        var branch = new Option<string?>("--branch") { Description = "The branch the card's step works on (\"\" clears it)" };
        var baseBranch = new Option<string?>("--base") { Description = "The branch it starts from and merges into (\"\" clears it)" };
        var requires = new Option<string[]?>("--requires") { Description = "A runner label the card needs; repeatable; replaces the card's labels", HelpName = "LABEL" };
        var noRequires = new Option<bool>("--no-requires") { Description = "Any runner may run the card" };
        var autoStart = new Option<bool?>("--auto-start") { Description = "true: start on its own once its blockers are done; false: not" };
        var command = new Command("edit", "Change a card's title, description, branches, runner labels or auto start")
        {
            cardArgument, title, description, branch, baseBranch, requires, noRequires, autoStart,
        };
        command.SetAction(async (parse, ct) =>
        {
            var labels = parse.GetValue(noRequires) ? [] : parse.GetValue(requires) is { Length: > 0 } given ? given.ToList() : null;
            var request = new UpdateCardRequest(parse.GetValue(title), parse.GetValue(description), parse.GetValue(branch), parse.GetValue(baseBranch),
                labels, parse.GetValue(autoStart));
            if (request.IsEmpty)
                throw new CliFailure("nothing to change: give at least one of --title, --description, --branch, --base, --requires, --no-requires, --auto-start");
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var card = await api.UpdateCardAsync(id, request, ct) ?? throw CardArgument.NotFound(id);
            await context.Output.WriteLineAsync($"Edited {card.Title} ({card.Id})");
            return 0;
        });
        return command;
    }
}
