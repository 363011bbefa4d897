using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf card diff CARD [--stat] [--json]</c>: what the card's branch changed since it left its base, as a unified diff.</summary>
internal static class CardDiffCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var cardArgument = CardArgument.Create();
        var stat = new Option<bool>("--stat") { Description = "Only the changed files with their added and deleted lines" };
        var json = JsonOutput.CreateOption();
        var command = new Command("diff", "Show what a card's branch changed since its base (from their merge-base)") { cardArgument, stat, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var diff = await api.CardDiffAsync(id, ct) ?? throw CardArgument.NotFound(id);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, diff, ApiJson.Default.RepoDiff);
                return 0;
            }
            if (diff.Files.Count == 0)
            {
                await context.Output.WriteLineAsync($"The card's branch changes nothing (at {CardText.Sha(diff.HeadSha)})");
                return 0;
            }
            if (parse.GetValue(stat))
            {
                await WriteStatAsync(context.Output, diff);
                return 0;
            }
            foreach (var file in diff.Files)
            {
                await context.Output.WriteAsync(file.Patch);
                if (!file.Patch.EndsWith('\n'))
                    await context.Output.WriteLineAsync();
            }
            return 0;
        });
        return command;
    }

    /// <summary>The changed files with their added and deleted lines, and the totals (<c>--stat</c>; also <c>playground show</c>).</summary>
    public static async Task WriteStatAsync(TextWriter output, RepoDiff diff)
    {
        var table = new TextTable("STATUS", "+", "-", "FILE");
        foreach (var file in diff.Files)
            table.Add(file.Status, file.Binary ? "bin" : $"{file.Additions}", file.Binary ? "bin" : $"{file.Deletions}", Name(file));
        await table.WriteToAsync(output);
        await output.WriteLineAsync($"{diff.Files.Count} files, +{diff.Additions} -{diff.Deletions}");
    }

    private static string Name(FileChange file) => file.OldPath is { } old && old != file.Path ? $"{old} -> {file.Path}" : file.Path;
}
