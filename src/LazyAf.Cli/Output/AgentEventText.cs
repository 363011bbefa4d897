using LazyAf.Runner.Agents;

namespace LazyAf.Cli.Output;

/// <summary>An agent event as one line a person reads in <c>lazyaf logs</c>.</summary>
internal static class AgentEventText
{
    public static string Of(AgentEvent e) => e.Kind switch
    {
        AgentEventKind.SessionStarted => $"[agent] session {e.SessionId}{(e.Model is null ? "" : $" ({e.Model})")}",
        AgentEventKind.AssistantText => $"[agent] {e.Text}",
        AgentEventKind.ToolCall => $"[agent] → {e.ToolName} {e.Summary}",
        AgentEventKind.ToolResult => $"[agent] ← {(e.IsError == true ? "error" : "ok")}{(string.IsNullOrEmpty(e.Summary) ? "" : ": " + FirstLine(e.Summary))}",
        AgentEventKind.PermissionRequest => $"[agent] ? asks to use {e.ToolName} {e.Summary} (answer: POST /api/executions/…/approvals/{e.RequestId})",
        AgentEventKind.Usage => $"[agent] used {e.Usage?.InputTokens} tokens in, {e.Usage?.OutputTokens} out",
        AgentEventKind.Result => $"[agent] {(e.IsError == true ? "failed" : "done")} ({e.Subtype}){Usage(e.Usage)}{(e.IsError == true && e.Text is { } text ? ": " + text : "")}",
        _ => $"[agent] {e.Text}",
    };

    private static string Usage(AgentUsage? usage) => usage is null
        ? ""
        : $", {usage.Turns} turns, {usage.InputTokens} tokens in, {usage.OutputTokens} out"
          + (usage.CostUsd is { } cost ? $", {CardText.Money(cost)}" : "");

    private static string FirstLine(string text) => text.Split('\n', 2)[0];
}
