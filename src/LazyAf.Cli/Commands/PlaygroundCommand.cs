using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf playground run|list|show|cancel|save|discard</c>: an agent run once on a throw-away branch, to try an agent,
/// a model or agent files, then its result kept on a branch or thrown away.
/// </summary>
internal static class PlaygroundCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("playground", "Try an agent once on a throw-away branch; show, cancel, save or discard the run")
    {
        Run(context, server),
        List(context, server),
        Show(context, server),
        Cancel(context, server),
        Save(context, server),
        Discard(context, server),
    };

    private static Command Run(CliContext context, ServerOptions server)
    {
        var repo = RepoArgument.Create();
        var task = new Argument<string>("task") { Description = "What the agent should do (its prompt, as it is)" };
        var agent = new Option<string>("--agent", "-a") { Description = "The agent kind (see: lazyaf agents)", Required = true };
        var model = new Option<string?>("--model") { Description = "The model to ask for (default: the agent CLI's)" };
        var branch = new Option<string?>("--branch") { Description = "The branch to start from (default: the repo's default branch)" };
        var agentFiles = new Option<string[]>("--agent-file") { Description = "An agent file whose instructions the agent gets (repeat for more)", AllowMultipleArgumentsPerToken = true };
        var timeout = new Option<int?>("--timeout") { Description = "Stop the agent after this many seconds (default: the host's, 1800)", HelpName = "SECONDS" };
        var follow = LogsCommand.FollowOption("Stream the agent's events until the run ends, then say how it ended; exit 1 unless it succeeded");
        var command = new Command("run", "Run an agent once on a throw-away branch; prints the run's id first") { repo, task, agent, model, branch, agentFiles, timeout, follow };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var target = await RepoArgument.ResolveAsync(api, parse.GetValue(repo)!, ct);
            var files = parse.GetValue(agentFiles) is { Length: > 0 } named ? named.ToList() : null;
            var request = new StartPlaygroundRequest(parse.GetValue(agent)!, parse.GetValue(task)!, parse.GetValue(model), parse.GetValue(branch), files, parse.GetValue(timeout));
            var run = await api.StartPlaygroundRunAsync(target.Id, request, ct) ?? throw RepoArgument.NotFound(target.Name);
            var following = parse.GetValue(follow);
            await context.Output.WriteLineAsync(run.Id);
            await context.Output.WriteLineAsync($"Started playground run {run.Id}: {run.Agent} on {run.BaseBranch} at {CardText.Sha(run.BaseSha)}, work branch {run.WorkBranch}"
                + (following ? "" : $" (follow with: lazyaf logs {run.ExecutionId} -f; result: lazyaf playground show {run.Id})"));
            return following ? await FollowAsync(api, context, run, ct) : 0;
        });
        return command;
    }

    /// <summary>Streams the run's execution (the agent's events as lines) until it ends, then says how the run ended and what it made.</summary>
    private static async Task<int> FollowAsync(ApiClient api, CliContext context, PlaygroundRun run, CancellationToken ct)
    {
        // The execution is created from the start's durable request, so it can lag the answer by a moment.
        await HostCatchUp.WaitForAsync(() => api.FindExecutionAsync(run.ExecutionId, ct), $"LazyAF has not created execution {run.ExecutionId} of playground run {run.Id}", ct);
        await LogsCommand.FollowAsync(api, context, run.ExecutionId, afterSeq: 0, $"playground run {run.Id}", $"lazyaf playground cancel {run.Id}", ct);
        var ended = await api.FindPlaygroundRunAsync(run.Id, ct) ?? throw PlaygroundArgument.NotFound(run.Id);
        if (ended.State != "succeeded")
            throw new CliFailure($"playground run {run.Id} {ended.State}{(ended.Error is { } why ? $": {why}" : "")}");
        await context.Output.WriteLineAsync($"Playground run {run.Id} succeeded{Usage(ended)}: {Result(ended)}");
        return 0;
    }

    private static Command List(CliContext context, ServerOptions server)
    {
        var repo = RepoArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("list", "List a repo's playground runs, newest first") { repo, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var target = await RepoArgument.ResolveAsync(api, parse.GetValue(repo)!, ct);
            var runs = await api.ListPlaygroundRunsAsync(target.Id, ct) ?? throw RepoArgument.NotFound(target.Name);
            if (parse.GetValue(json))
                await JsonOutput.WriteAsync(context.Output, runs, AgentsJson.Default.ListPlaygroundRun);
            else if (runs.Count == 0)
                await context.Output.WriteLineAsync($"{target.Name} has no playground runs; try one with: lazyaf playground run {target.Name} --agent AGENT \"task\"");
            else
            {
                var table = new TextTable("ID", "AGENT", "STATE", "BRANCH", "COST", "CREATED", "TASK");
                foreach (var run in runs)
                {
                    table.Add(run.Id, run.Agent, run.State, run.SavedTo ?? run.WorkBranch, run.Usage?.CostUsd is { } cost ? CardText.Money(cost) : "-",
                        CardText.Time(run.CreatedAt), FirstLine(run.Task));
                }
                await table.WriteToAsync(context.Output);
            }
            return 0;
        });
        return command;
    }

    private static Command Show(CliContext context, ServerOptions server)
    {
        var id = PlaygroundArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("show", "Show a playground run: state, usage, result, and the files it changed") { id, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var runId = await PlaygroundArgument.ResolveAsync(api, parse.GetValue(id)!, ct);
            var run = await api.FindPlaygroundRunAsync(runId, ct) ?? throw PlaygroundArgument.NotFound(runId);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, run, AgentsJson.Default.PlaygroundRun);
                return 0;
            }
            var output = context.Output;
            await output.WriteLineAsync($"Playground run {run.Id}: {run.State}{(run.Error is { } why ? $" ({why})" : "")}");
            await output.WriteLineAsync($"  agent: {run.Agent}{(run.Model is { } model ? $" ({model})" : "")}");
            await output.WriteLineAsync($"  from: {run.BaseBranch} at {CardText.Sha(run.BaseSha)}");
            await output.WriteLineAsync($"  task: {FirstLine(run.Task)}");
            await output.WriteLineAsync($"  execution: {run.ExecutionId} (lazyaf logs {run.ExecutionId})");
            if (run.Usage is { } usage)
                await output.WriteLineAsync($"  usage: {usage.Turns ?? 0} turns, {usage.InputTokens} tokens in, {usage.OutputTokens} out{(usage.CostUsd is { } cost ? ", " + CardText.Money(cost) : "")}");
            await output.WriteLineAsync($"  result: {Result(run)}");
            if (run.ResultSha is not null && await api.PlaygroundDiffAsync(run.Id, ct) is { } diff)
            {
                await output.WriteLineAsync();
                if (diff.Files.Count == 0)
                    await output.WriteLineAsync("It changed nothing");
                else
                    await CardDiffCommand.WriteStatAsync(output, diff);
            }
            return 0;
        });
        return command;
    }

    private static Command Cancel(CliContext context, ServerOptions server)
    {
        var id = PlaygroundArgument.Create();
        var command = new Command("cancel", "Stop a playground run: the agent's process tree is killed") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var runId = await PlaygroundArgument.ResolveAsync(api, parse.GetValue(id)!, ct);
            var run = await api.CancelPlaygroundRunAsync(runId, ct) ?? throw PlaygroundArgument.NotFound(runId);
            await context.Output.WriteLineAsync(run.IsFinished ? $"Cancelled playground run {run.Id}" : $"Cancelling playground run {run.Id} (it is {run.State}; its agent is being stopped)");
            return 0;
        });
        return command;
    }

    private static Command Save(CliContext context, ServerOptions server)
    {
        var id = PlaygroundArgument.Create();
        var branch = new Option<string>("--branch", "-b") { Description = "The branch to put the result on: created, or fast-forwarded (never forced)", Required = true };
        var command = new Command("save", "Keep a succeeded run's result on a branch") { id, branch };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var runId = await PlaygroundArgument.ResolveAsync(api, parse.GetValue(id)!, ct);
            var saved = await api.SavePlaygroundRunAsync(runId, parse.GetValue(branch)!, ct) ?? throw PlaygroundArgument.NotFound(runId);
            var how = saved.Outcome switch { "created" => "created", "fast_forwarded" => "fast-forwarded", _ => "already there" };
            await context.Output.WriteLineAsync($"Saved playground run {runId} to {saved.Branch} at {CardText.Sha(saved.Sha)} ({how})");
            return 0;
        });
        return command;
    }

    private static Command Discard(CliContext context, ServerOptions server)
    {
        var id = PlaygroundArgument.Create();
        var command = new Command("discard", "Throw a finished run away with its work branch (its execution's logs stay)") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var runId = await PlaygroundArgument.ResolveAsync(api, parse.GetValue(id)!, ct);
            if (!await api.DiscardPlaygroundRunAsync(runId, ct))
                throw PlaygroundArgument.NotFound(runId);
            await context.Output.WriteLineAsync($"Discarded playground run {runId}");
            return 0;
        });
        return command;
    }

    private static string Result(PlaygroundRun run) => run switch
    {
        { ResultSha: { } sha, SavedTo: { } saved } => $"{CardText.Sha(sha)} on {run.WorkBranch}, saved to {saved}",
        { ResultSha: { } sha } => $"{CardText.Sha(sha)} on {run.WorkBranch} (keep it with: lazyaf playground save {run.Id} --branch NAME)",
        _ when run.IsFinished => "none (nothing was pushed)",
        _ => $"none yet (it is {run.State})",
    };

    private static string Usage(PlaygroundRun run) => run.Usage?.CostUsd is { } cost ? $" ({run.Usage.Turns ?? 0} turns, {CardText.Money(cost)})" : "";

    private static string FirstLine(string text) => text.Split('\n', 2)[0];

}
