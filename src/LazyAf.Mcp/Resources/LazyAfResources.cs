using System.ComponentModel;
using System.Text;
using LazyAf.Mcp.Api;
using LazyAf.Mcp.Logs;
using LazyAf.Mcp.Results;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Resources;

/// <summary>What a client can attach as context without a tool call: the repos, a card, a card's diff, a run's logs.</summary>
[McpServerResourceType]
internal sealed class LazyAfResources(LazyAfApi api, ResultCap cap)
{
    private const int StepTailLines = 200;

    [McpServerResource(UriTemplate = "lazyaf://repos", Name = "repos", Title = "Repos", MimeType = "application/json")]
    [Description("Every repo in LazyAF with its id, name and default branch.")]
    public async Task<string> ReposList(CancellationToken ct) => cap.Head(await api.GetAsync("api/repos", ct), "list_repos answers the same");

    [McpServerResource(UriTemplate = "lazyaf://cards/{card_id}", Name = "card", Title = "A card", MimeType = "application/json")]
    [Description("A card with its step, branch, blockers and attempts.")]
    public async Task<string> Card(string card_id, CancellationToken ct) => cap.Head(await api.GetAsync(Cards.Path(card_id), ct), "get_card answers the same");

    [McpServerResource(UriTemplate = "lazyaf://cards/{card_id}/diff", Name = "card_diff", Title = "A card's diff", MimeType = "text/x-diff")]
    [Description("What a card's branch changed since it left its base branch, as unified patches.")]
    public async Task<string> CardDiff(string card_id, CancellationToken ct) =>
        cap.Head(DiffText.Of($"card {card_id}", await api.GetJsonAsync(Cards.Path(card_id, "diff"), ct)), "get_diff with repo, base and head narrows it");

    [McpServerResource(UriTemplate = "lazyaf://pipeline-runs/{run_id}/logs", Name = "run_logs", Title = "A pipeline run's logs", MimeType = "text/plain")]
    [Description("The last 200 lines of each step of a pipeline run (its latest attempts).")]
    public async Task<string> RunLogs(string run_id, CancellationToken ct)
    {
        var run = await api.GetJsonAsync($"api/pipeline-runs/{JsonFields.Segment(run_id)}", ct);
        var text = new StringBuilder($"pipeline run {run_id} of '{run.Str("pipeline")}' on {run.Str("branch")}: {run.Str("state")}\n");
        var request = LogRequest.Of(cap, StepTailLines, afterSeq: null, skipLines: null, stderrOnly: false, maxBytes: null);
        foreach (var step in run.Array("steps"))
        {
            text.Append($"=== step {step.Str("id")}: {step.Str("state")}\n");
            if (step.Str("execution_id") is { } execution)
                text.Append(await LogView.RenderAsync($"execution {execution}", api.LogsAsync($"api/executions/{JsonFields.Segment(execution)}/logs?after_seq=0&follow=false", ct), request, ct));
        }
        return cap.Tail(text.ToString(), "get_step_logs reads one step with tail_lines or after_seq");
    }
}
