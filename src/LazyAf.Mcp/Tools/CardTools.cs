using System.ComponentModel;
using System.Text.Json.Nodes;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Cards on the board: list, read, write, delete, their history and what blocks them.</summary>
[McpServerToolType]
internal sealed class CardTools(LazyAfApi api)
{
    public const string StepConfigHelp =
        "The step's settings as a JSON object: script {\"command\": \"make test\"}; docker {\"image\": \"...\", \"command\": \"...\"}; "
        + "agent {\"agent\": \"claude-code\"|\"gemini\"|\"codex\", \"model\"?, \"prompt_template\"?, \"agent_files\"?, \"max_turns\"?}; "
        + "any type: env, secrets, timeout_seconds, working_dir, commit (true, false or a list of paths: what of its changes the step commits; "
        + "a script or docker step commits nothing without it, an agent everything) (docs/steps.md lists every key).";

    [McpServerTool(Name = "list_cards", Title = "List cards", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists a repo's cards by status and position (todo, in_progress, in_review, done, failed) with blockers and cost.")]
    public async Task<string> ListCards(
        [Description("The repo's id or name.")] string repo,
        [Description("Only cards in this status: todo, in_progress, in_review, done or failed.")] string? status = null,
        CancellationToken ct = default) =>
        await api.GetAsync($"api/repos/{await Repos.IdAsync(api, repo, ct)}/cards{Query.Of(("status", status))}", ct);

    [McpServerTool(Name = "get_card", Title = "Get a card", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows one card: its step, branch, blockers, attempts (each with its execution id) and the moves it may make now.")]
    public Task<string> GetCard([Description("The card's id.")] string card_id, CancellationToken ct) =>
        api.GetAsync(Cards.Path(card_id), ct);

    [McpServerTool(Name = "create_card", Title = "Create a card", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Creates a card in a repo's todo column; start it with start_card (or auto_start once its blockers are done).")]
    public async Task<string> CreateCard(
        [Description("The repo's id or name.")] string repo,
        [Description("What the card does, one line.")] string title,
        [Description("The step type: agent, script or docker.")] string step_type,
        [Description(StepConfigHelp)] JsonObject step_config,
        [Description("Details for the agent or reviewer (markdown).")] string? description = null,
        [Description("The branch to work on (default lazyaf/card-<id suffix>).")] string? branch_name = null,
        [Description("The branch to start from and merge into (default: the repo's default branch).")] string? base_branch = null,
        [Description("Runner labels the step needs (os=linux, gpu).")] string[]? requires = null,
        [Description("Start by itself as soon as every blocker is done.")] bool? auto_start = null,
        [Description("Ids of cards of the same repo that must be done first.")] string[]? blocked_by = null,
        CancellationToken ct = default)
    {
        var body = Body.Of(("title", title), ("step_type", step_type), ("step_config", step_config), ("description", description),
            ("branch_name", branch_name), ("base_branch", base_branch), ("requires", requires), ("auto_start", auto_start), ("blocked_by", blocked_by));
        return await api.SendAsync(HttpMethod.Post, $"api/repos/{await Repos.IdAsync(api, repo, ct)}/cards", body, ct);
    }

    [McpServerTool(Name = "update_card", Title = "Update a card", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Edits a card's fields (only those given); a status change must be a move the card may make without work.")]
    public Task<string> UpdateCard(
        [Description("The card's id.")] string card_id,
        [Description("A new title.")] string? title = null,
        [Description("A new description (\"\" clears it).")] string? description = null,
        [Description("A new step type: agent, script or docker.")] string? step_type = null,
        [Description(StepConfigHelp)] JsonObject? step_config = null,
        [Description("A new base branch.")] string? base_branch = null,
        [Description("A new position in its column (0 first).")] int? position = null,
        [Description("Runner labels the step needs.")] string[]? requires = null,
        [Description("Start by itself once its blockers are done.")] bool? auto_start = null,
        [Description("A new status the card may move to directly (see allowed_transitions of get_card).")] string? status = null,
        CancellationToken ct = default) =>
        api.SendAsync(HttpMethod.Patch, Cards.Path(card_id), Body.Of(("title", title), ("description", description), ("step_type", step_type),
            ("step_config", step_config), ("base_branch", base_branch), ("position", position), ("requires", requires), ("auto_start", auto_start), ("status", status)), ct);

    [McpServerTool(Name = "delete_card", Title = "Delete a card", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Deletes a card that is not being worked on; its branch stays.")]
    public async Task<string> DeleteCard([Description("The card's id.")] string card_id, CancellationToken ct)
    {
        await api.SendAsync(HttpMethod.Delete, Cards.Path(card_id), null, ct);
        return $"deleted card {card_id}";
    }

    [McpServerTool(Name = "get_card_history", Title = "Get a card's history", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists every status change of a card, oldest first: from, to, trigger, who and why.")]
    public Task<string> GetCardHistory([Description("The card's id.")] string card_id, CancellationToken ct) =>
        api.GetAsync(Cards.Path(card_id, "events"), ct);

    [McpServerTool(Name = "add_card_dependency", Title = "Add card blockers", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false)]
    [Description("Blocks a card by other cards of its repo: it cannot start until they are done (cycles are refused).")]
    public Task<string> AddCardDependency(
        [Description("The card to block.")] string card_id,
        [Description("Ids of the cards it waits for.")] string[] blocked_by,
        CancellationToken ct) =>
        api.SendAsync(HttpMethod.Post, Cards.Path(card_id, "dependencies"), Body.Of(("blocked_by", blocked_by)), ct);

    [McpServerTool(Name = "remove_card_dependency", Title = "Remove a card blocker", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Unblocks a card from one of its blockers.")]
    public async Task<string> RemoveCardDependency(
        [Description("The blocked card.")] string card_id,
        [Description("The blocker to remove.")] string blocker_id,
        CancellationToken ct)
    {
        await api.SendAsync(HttpMethod.Delete, Cards.Path(card_id, $"dependencies/{JsonFields.Segment(blocker_id)}"), null, ct);
        return $"card {card_id} no longer waits for {blocker_id}";
    }
}
