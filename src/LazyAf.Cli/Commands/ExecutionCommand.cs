using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf execution show|cancel|approvals|allow|deny</c>: one step execution, and the approval gate of agent steps.</summary>
internal static class ExecutionCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("execution", "Show or cancel a step execution; list and answer an agent's approval requests")
    {
        Show(context, server),
        Cancel(context, server),
        Approvals(context, server),
        Answer(context, server, "allow", "Allow a pending approval request; the agent goes on at once"),
        Answer(context, server, "deny", "Deny a pending approval request; the agent is told why (--message)"),
    };

    private static Command Show(CliContext context, ServerOptions server)
    {
        var execution = ExecutionArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("show", "Show an execution's state and how it ended") { execution, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ExecutionArgument.ResolveAsync(api, parse.GetValue(execution)!, ct);
            var found = await api.FindExecutionAsync(id, ct) ?? throw ExecutionArgument.NotFound(id);
            if (parse.GetValue(json))
                await JsonOutput.WriteAsync(context.Output, found, ApiJson.Default.Execution);
            else
                await context.Output.WriteLineAsync($"{found.Id}  {found.Outcome}");
            return 0;
        });
        return command;
    }

    private static Command Cancel(CliContext context, ServerOptions server)
    {
        var execution = ExecutionArgument.Create();
        var command = new Command("cancel", "Cancel an execution; a running step's process or container is killed") { execution };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ExecutionArgument.ResolveAsync(api, parse.GetValue(execution)!, ct);
            var cancelled = await api.CancelExecutionAsync(id, ct) ?? throw ExecutionArgument.NotFound(id);
            await context.Output.WriteLineAsync(cancelled.IsFinished
                ? $"Cancelled execution {cancelled.Id}"
                : $"Cancelling execution {cancelled.Id}: it is {cancelled.State} until its executor has stopped it (lazyaf logs {cancelled.Id} -f waits for that)");
            return 0;
        });
        return command;
    }

    private static Command Approvals(CliContext context, ServerOptions server)
    {
        var execution = ExecutionArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("approvals", "List an agent execution's tool-permission requests, pending first") { execution, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ExecutionArgument.ResolveAsync(api, parse.GetValue(execution)!, ct);
            var approvals = await api.ListApprovalsAsync(id, ct) ?? throw ExecutionArgument.NotFound(id);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, approvals, ApiJson.Default.ListApproval);
                return 0;
            }
            if (approvals.Count == 0)
            {
                await context.Output.WriteLineAsync($"execution {id} has asked for no approvals");
                return 0;
            }
            var table = new TextTable("REQUEST", "STATE", "TOOL", "REQUESTED", "DECIDED BY", "SUMMARY");
            foreach (var a in approvals.OrderBy(a => a.State == "pending" ? 0 : 1).ThenBy(a => a.RequestedAt))
                table.Add(a.RequestId, a.State, a.ToolName, CardText.Time(a.RequestedAt), a.DecidedBy ?? "", a.Summary.ReplaceLineEndings(" "));
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }

    private static Command Answer(CliContext context, ServerOptions server, string decision, string description)
    {
        var execution = ExecutionArgument.Create();
        var request = new Argument<string>("request") { Description = "The request's id or a unique prefix of it (see: lazyaf execution approvals EXECUTION)" };
        var message = new Option<string?>("--message", "-m") { Description = "What the agent is told with the answer" };
        var command = new Command(decision, description) { execution, request, message };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ExecutionArgument.ResolveAsync(api, parse.GetValue(execution)!, ct);
            var given = parse.GetValue(request)!;
            var approvals = await api.ListApprovalsAsync(id, ct) ?? throw ExecutionArgument.NotFound(id);
            CliFailure NoRequest() => new($"execution {id} has no approval request '{given}'");
            var requestId = approvals.Any(a => a.RequestId == given) ? given
                : IdPrefix.Pick("approval request", given, approvals.Select(a => new Candidate(a.RequestId, $"{a.ToolName}, {a.State}")),
                    c => IdPrefix.Matches(c.Id, given), NoRequest);
            var answered = await api.AnswerApprovalAsync(id, requestId, new ApprovalAnswer(decision, parse.GetValue(message)), ct) ?? throw NoRequest();
            await context.Output.WriteLineAsync($"{answered.State} {answered.ToolName}: {answered.Summary.ReplaceLineEndings(" ")}");
            return 0;
        });
        return command;
    }
}
