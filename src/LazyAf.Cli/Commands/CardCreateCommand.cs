using System.CommandLine;
using System.Text.Json.Nodes;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf card create REPO --title T (--script CMD | --docker IMAGE --command CMD | --agent KIND) [--commit [PATH]…]</c>:
/// a new card in the repo's todo column. Prints its id alone on the first line, for scripts.
/// </summary>
internal static class CardCreateCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var repo = RepoArgument.Create();
        var title = new Option<string>("--title") { Description = "What the card is for", Required = true };
        var description = new Option<string?>("--description") { Description = "More about it" };
        var script = new Option<string?>("--script") { Description = "A script step that runs CMD", HelpName = "CMD" };
        var docker = new Option<string?>("--docker") { Description = "A container step in IMAGE that runs --command", HelpName = "IMAGE" };
        var stepCommand = new Option<string?>("--command") { Description = "What a --docker step (or a --agent command step) runs", HelpName = "CMD" };
        var agent = new Option<string?>("--agent") { Description = "An agent step: claude-code, gemini, codex or command", HelpName = "KIND" };
        var model = new Option<string?>("--model") { Description = "The model the agent uses" };
        var promptTemplate = new Option<string?>("--prompt-template") { Description = "The agent's prompt template" };
        var branch = new Option<string?>("--branch") { Description = "The branch the card's work goes on" };
        var baseBranch = new Option<string?>("--base") { Description = "The branch it starts from and merges into (default: the repo's default)" };
        var requires = new Option<string[]>("--requires") { Description = "A runner label its step needs; repeat for several", HelpName = "LABEL" };
        var commit = new Option<string[]>("--commit")
        {
            Description = "Commit the step's work: everything, or with PATHs (repeat) only those paths or globs; script and docker steps commit nothing without it",
            HelpName = "PATH",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var autoStart = new Option<bool>("--auto-start") { Description = "Start it by itself once every card it is blocked by is done" };
        var command = new Command("create", "Create a card in a repo's todo column; prints its id first")
        {
            repo, title, description, script, docker, stepCommand, agent, model, promptTemplate, branch, baseBranch, requires, commit, autoStart,
        };
        command.Validators.Add(result =>
        {
            bool Given(Option option) => result.GetResult(option) is not null;
            if (new Option[] { script, docker, agent }.Count(Given) != 1)
                result.AddError("Give exactly one step: --script CMD, --docker IMAGE --command CMD, or --agent KIND.");
            else if (Given(docker) && !Given(stepCommand))
                result.AddError("--docker needs --command CMD.");
            else if (Given(script) && Given(stepCommand))
                result.AddError("--script takes the command itself; --command goes with --docker or --agent.");
            else if (!Given(agent) && (Given(model) || Given(promptTemplate)))
                result.AddError("--model and --prompt-template go with --agent.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var (stepType, config) = parse.GetValue(script) is { } scriptCommand ? ("script", new StepConfig(Command: scriptCommand))
                : parse.GetValue(docker) is { } image ? ("docker", new StepConfig(Command: parse.GetValue(stepCommand), Image: image))
                : ("agent", new StepConfig(Command: parse.GetValue(stepCommand), Agent: parse.GetValue(agent),
                    Model: parse.GetValue(model), PromptTemplate: parse.GetValue(promptTemplate)));
            if (parse.GetResult(commit) is not null)
                config = config with { Commit = parse.GetValue(commit) is { Length: > 0 } paths ? new JsonArray([.. paths.Select(p => JsonValue.Create(p))]) : JsonValue.Create(true) };
            var request = new CreateCardRequest(parse.GetValue(title)!, parse.GetValue(description), stepType, config,
                parse.GetValue(branch), parse.GetValue(baseBranch), [.. parse.GetValue(requires) ?? []], parse.GetValue(autoStart));

            using var api = new ApiClient(server.Connect(parse, context));
            var target = await RepoArgument.ResolveAsync(api, parse.GetValue(repo)!, ct);
            var card = await api.CreateCardAsync(target.Id, request, ct) ?? throw RepoArgument.NotFound(target.Name);
            await context.Output.WriteLineAsync(card.Id);
            await context.Output.WriteLineAsync($"Created {card.Status} card in {target.Name}: {card.Title}");
            await context.Output.WriteLineAsync($"  step: {CardText.Step(card.StepType, card.StepConfig)}");
            if (card.BranchName is not null)
                await context.Output.WriteLineAsync($"  branch: {card.BranchName}");
            return 0;
        });
        return command;
    }
}
