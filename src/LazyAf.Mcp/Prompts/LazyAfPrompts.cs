using System.ComponentModel;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Failures;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Prompts;

/// <summary>Starting points for a conversation about LazyAF: planning a feature as cards, and finding why a run failed.</summary>
[McpServerPromptType]
internal sealed class LazyAfPrompts(LazyAfApi api, FailureSummaries failures)
{
    [McpServerPrompt(Name = "plan_feature", Title = "Plan a feature as cards")]
    [Description("Breaks a feature down into LazyAF cards for a repo, ordered by what blocks what.")]
    public async Task<string> PlanFeature(
        [Description("The repo's id or name.")] string repo,
        [Description("The feature, as you would tell a colleague.")] string feature,
        CancellationToken ct)
    {
        var id = await Repos.IdAsync(api, repo, ct);
        var cards = await api.GetAsync($"api/repos/{id}/cards", ct);
        return $$"""
            Plan this feature for the LazyAF repo {{repo}} (id {{id}}) as cards, then create them:

            {{feature}}

            Each card is one change an agent can make and a person can review on its own: a one-line title, a description
            that says what done looks like, step_type "agent" with step_config {"agent": "claude-code"} unless a script
            fits better. Create them with create_card in the order they can be done, and give a card that needs another
            one's work blocked_by with that card's id (add_card_dependency adds it later). Do not start them; list the
            cards you made with their ids at the end.

            The repo's cards now (do not repeat one): {{cards}}
            """;
    }

    [McpServerPrompt(Name = "why_did_this_run_fail", Title = "Why did this run fail")]
    [Description("Explains why a pipeline run failed and proposes a fix, starting from LazyAF's failure summary.")]
    public async Task<string> WhyDidThisRunFail([Description("The pipeline run's id.")] string run_id, CancellationToken ct) =>
        $"""
        This LazyAF pipeline run failed. LazyAF's summary of it:

        {await failures.OfRunAsync(run_id, ct)}
        Say in a few sentences what caused the failure and how to fix it. Read more only where the summary is not
        enough: search_execution_logs and get_step_logs for the output, get_diff for the change that was tested.
        """;
}
