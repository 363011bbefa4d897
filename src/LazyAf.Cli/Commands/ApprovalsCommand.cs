using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf approvals [--state S]</c>: what agents wait for across all executions, to answer with <c>lazyaf execution allow|deny</c>.</summary>
internal static class ApprovalsCommand
{
    private static readonly string[] States = ["pending", "allowed", "denied", "timed_out"];

    public static Command Create(CliContext context, ServerOptions server)
    {
        var state = new Option<string>("--state") { Description = "Which requests: pending (the default), allowed, denied or timed_out", DefaultValueFactory = _ => "pending" };
        state.AcceptOnlyFromAmong(States);
        var json = JsonOutput.CreateOption();
        var command = new Command("approvals", "List the tool-permission requests of every agent execution, pending ones by default, oldest first") { state, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var wanted = parse.GetValue(state)!;
            var approvals = await api.ListApprovalQueueAsync(wanted, ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, approvals, ApiJson.Default.ListQueuedApproval);
                return 0;
            }
            if (approvals.Count == 0)
            {
                await context.Output.WriteLineAsync($"no {wanted} approval requests");
                return 0;
            }
            var table = new TextTable("EXECUTION", "REQUEST", "FOR", "TOOL", "REQUESTED", "SUMMARY");
            foreach (var a in approvals)
                table.Add(a.ExecutionId, a.RequestId, Subject(a), a.ToolName, CardText.Time(a.RequestedAt), a.Summary.ReplaceLineEndings(" "));
            await table.WriteToAsync(context.Output);
            if (wanted == "pending")
                await context.Output.WriteLineAsync("Answer with: lazyaf execution allow|deny EXECUTION REQUEST");
            return 0;
        });
        return command;
    }

    private static string Subject(QueuedApproval approval) => approval switch
    {
        { CardId: { } card } => $"card {card}",
        { RunId: { } run } => $"run {run}",
        _ => approval.SubjectId is { } subject ? $"{approval.Kind} {subject}" : approval.Kind,
    };
}
