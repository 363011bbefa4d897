using System.ComponentModel;
using System.Text.Json.Nodes;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>
/// Working a card: start, retry, follow up and cancel its step; approve or reject its work. Starting returns at once
/// with the ids to follow; <c>wait</c> follows them.
/// </summary>
[McpServerToolType]
internal sealed class CardWorkTools(LazyAfApi api)
{
    [McpServerTool(Name = "start_card", Title = "Start a card", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Starts a todo card's step; returns at once with its attempt, execution id and branch (follow with wait kind=card).")]
    public async Task<string> StartCard([Description("The card's id.")] string card_id, CancellationToken ct) =>
        Started(await api.SendJsonAsync(HttpMethod.Post, Cards.Path(card_id, "start"), null, ct));

    [McpServerTool(Name = "retry_card", Title = "Retry a card", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Runs a failed or reviewed card's step again as a new attempt on its branch; returns at once with the ids to follow.")]
    public async Task<string> RetryCard([Description("The card's id.")] string card_id, CancellationToken ct) =>
        Started(await api.SendJsonAsync(HttpMethod.Post, Cards.Path(card_id, "retry"), null, ct));

    [McpServerTool(Name = "follow_up_card", Title = "Follow up a card", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Continues an agent card's session with a message, as a new attempt on the same branch; returns at once with the ids to follow.")]
    public async Task<string> FollowUpCard(
        [Description("The card's id.")] string card_id,
        [Description("What to tell the agent next.")] string message,
        CancellationToken ct) =>
        Started(await api.SendJsonAsync(HttpMethod.Post, Cards.Path(card_id, "follow-up"), Body.Of(("message", message)), ct));

    [McpServerTool(Name = "cancel_card", Title = "Cancel a card's run", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Cancels what works on a card now: its running step (the process tree or container is killed) and the pipeline runs building its branch.")]
    public async Task<string> CancelCard([Description("The card's id.")] string card_id, CancellationToken ct)
    {
        var cancel = await api.SendJsonAsync(HttpMethod.Post, Cards.Path(card_id, "cancel"), null, ct);
        var said = new List<string>();
        if (cancel?["execution"] is JsonObject execution)
            said.Add($"{(execution.Str("outcome") == "stopping" ? "cancelling" : "cancelled")} attempt {execution.Text("attempt")} (execution {execution.Str("id")})");
        var runs = cancel.Array("pipeline_runs").Select(r => r?.GetValue<string>()).OfType<string>().ToList();
        if (runs.Count > 0)
            said.Add($"cancelled pipeline run{(runs.Count == 1 ? "" : "s")} {string.Join(", ", runs)}");
        return $"card {card_id}: {string.Join("; ", said)}; wait kind=card id={card_id} shows where the card ends up";
    }

    [McpServerTool(Name = "approve_card", Title = "Approve a card", ReadOnly = false, Destructive = true, Idempotent = false, OpenWorld = false)]
    [Description("Merges a card in review into its base branch (or target_branch) and marks it done; a conflict answers the conflicting paths.")]
    public Task<string> ApproveCard(
        [Description("The card's id.")] string card_id,
        [Description("The branch to merge into instead of the card's base branch.")] string? target_branch = null,
        CancellationToken ct = default) =>
        api.SendAsync(HttpMethod.Post, Cards.Path(card_id, "approve"), target_branch is null ? null : Body.Of(("target_branch", target_branch)), ct);

    [McpServerTool(Name = "reject_card", Title = "Reject a card", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Sends a card in review back to todo, with an optional reason (its branch stays for the next attempt).")]
    public Task<string> RejectCard(
        [Description("The card's id.")] string card_id,
        [Description("Why, for the card's history and the next attempt.")] string? reason = null,
        CancellationToken ct = default) =>
        api.SendAsync(HttpMethod.Post, Cards.Path(card_id, "reject"), Body.Of(("reason", reason)), ct);

    /// <summary>The new attempt of a card the API just started, with the ids to follow it by.</summary>
    private static string Started(JsonNode? card)
    {
        var attempt = card.Array("attempts").LastOrDefault();
        var execution = attempt.Str("execution_id");
        return $"card {card.Str("id")} is {card.Str("status")}: attempt {attempt.Text("number")} runs as execution {execution} on branch {attempt.Str("branch") ?? card.Str("branch_name")}.\n"
            + $"It runs in the background: wait kind=card id={card.Str("id")} until=in_review follows it; get_execution_logs execution_id={execution} shows its output.";
    }
}
