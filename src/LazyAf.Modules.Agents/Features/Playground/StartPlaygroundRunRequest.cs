using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>The body of <c>POST /api/repos/{id}/playground/runs</c>.</summary>
/// <param name="Agent">An agent kind of <c>GET /api/agents</c>, e.g. <c>claude-code</c>.</param>
/// <param name="Task">The prompt, given to the agent as it is.</param>
/// <param name="Model">The model to ask for; the CLI's default when omitted.</param>
/// <param name="Branch">The branch to start from; the repo's default branch when omitted.</param>
/// <param name="AgentFiles">Agent files (platform or the branch's <c>.lazyaf/agents</c>) whose instructions the agent gets.</param>
/// <param name="TimeoutSeconds">When to kill the agent; <c>Playground:TimeoutSeconds</c> (default 1800) when omitted.</param>
internal sealed record StartPlaygroundRunRequest(
    string? Agent, string? Task, string? Model = null, string? Branch = null, IReadOnlyList<string>? AgentFiles = null, int? TimeoutSeconds = null)
{
    public const int MaxTimeoutSeconds = 24 * 3600;

    /// <summary>The field errors; empty when the request can run.</summary>
    public Dictionary<string, string[]> Check(IEnumerable<string> knownAgents)
    {
        var errors = new Dictionary<string, string[]>();
        var known = knownAgents.Order(StringComparer.Ordinal).ToList();
        if (string.IsNullOrWhiteSpace(Agent))
            errors["agent"] = [$"agent is required; this host runs: {string.Join(", ", known)}."];
        else if (!known.Contains(Agent, StringComparer.Ordinal))
            errors["agent"] = [$"agent '{Agent}' is not known; this host runs: {string.Join(", ", known)}."];
        if (Model is not null && (Model.Length is 0 or > 200 || Model.Any(c => char.IsWhiteSpace(c) || char.IsControl(c))))
            errors["model"] = ["model must be a model name without spaces, at most 200 characters."];
        if (Branch is not null && BranchNames.Check(Branch) is { } badBranch)
            errors["branch"] = [badBranch];
        if (string.IsNullOrWhiteSpace(Task))
            errors["task"] = ["task is required: it is the agent's prompt."];
        if (AgentFiles is not null && AgentFiles.Any(string.IsNullOrWhiteSpace))
            errors["agent_files"] = ["agent_files must be names of agent files."];
        if (TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
            errors["timeout_seconds"] = [$"timeout_seconds must be between 1 and {MaxTimeoutSeconds}."];
        return errors;
    }
}
