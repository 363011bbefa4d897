using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf card show CARD</c>: a card's fields, blockers, what it may do next, its attempts and its history.</summary>
internal static class CardShowCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("show", "Show a card: status, step, branch, blockers, allowed moves, attempts and history") { cardArgument, json };
        command.SetAction(async (parse, ct) =>
        {
                        using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var card = await api.FindCardAsync(id, ct) ?? throw CardArgument.NotFound(id);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, card, ApiJson.Default.Card);
                return 0;
            }
            var history = await api.ListCardTransitionsAsync(id, ct) ?? throw CardArgument.NotFound(id);
            await WriteAsync(context.Output, card, history);
            return 0;
        });
        return command;
    }

    private static async Task WriteAsync(TextWriter output, Card card, List<CardTransition> history)
    {
        var blockers = card.BlockedBy.Select(b => $"{b.Id} ({b.Status}: {b.Title})");
        var moves = card.AllowedTransitions.Select(m => $"{m.Trigger} -> {m.To}");
        List<(string Label, string Value)> fields =
        [
            ("id", card.Id),
            ("status", card.Status),
            ("step", CardText.Step(card.StepType, card.StepConfig)),
            ("branch", (card.BranchName ?? "none yet") + (card.BaseBranch is null ? "" : $" (base {card.BaseBranch})")),
            ("requires", card.Requires.Count == 0 ? "any runner" : string.Join(", ", card.Requires)),
            ("auto start", card.AutoStart ? "yes, once its blockers are done" : "no"),
            ("blocked by", card.BlockedBy.Count == 0 ? "nothing" : string.Join(", ", blockers)),
            ("can", card.AllowedTransitions.Count == 0 ? "nothing now" : string.Join(", ", moves)),
        ];
        var width = fields.Max(f => f.Label.Length) + 1;

        await output.WriteLineAsync(card.Title);
        foreach (var (label, value) in fields)
            await output.WriteLineAsync($"  {(label + ":").PadRight(width)}  {value}");
        if (!string.IsNullOrWhiteSpace(card.Description))
        {
            await output.WriteLineAsync();
            foreach (var line in card.Description.TrimEnd().Split('\n'))
                await output.WriteLineAsync("  " + line.TrimEnd('\r'));
        }

        await output.WriteLineAsync();
        if (card.Attempts.Count == 0)
            await output.WriteLineAsync("No attempts yet.");
        else
        {
            var attempts = new TextTable("ATTEMPT", "OUTCOME", "BRANCH", "STARTED", "FINISHED", "COST", "TESTS");
            foreach (var a in card.Attempts)
            {
                attempts.Add($"#{a.Number}", a.Outcome ?? "running", a.Branch ?? "", CardText.Time(a.StartedAt),
                    a.FinishedAt is { } finished ? CardText.Time(finished) : "", a.CostUsd is { } cost ? CardText.Money(cost) : "",
                    a.TestSummary ?? "");
            }
            await attempts.WriteToAsync(output);
        }

        await output.WriteLineAsync();
        if (history.Count == 0)
            await output.WriteLineAsync("No status changes yet.");
        else
        {
            var moved = new TextTable("AT", "FROM -> TO", "TRIGGER", "ACTOR", "REASON");
            foreach (var t in history)
                moved.Add(CardText.Time(t.At), $"{t.FromStatus} -> {t.ToStatus}", t.Trigger, t.Actor, t.Reason ?? "");
            await moved.WriteToAsync(output);
        }
    }
}
