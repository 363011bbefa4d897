using System.Text.Json.Nodes;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Features.RepoAgents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LazyAf.Modules.Cards.Features.StartCard;

/// <summary>
/// The step configuration an agent card's execution gets: the card's own, with its <c>agent_files</c> turned into
/// the agent's extra instructions (<c>system_prompt</c>, repo files over platform ones, read from the branch the
/// work is on) and, for a follow-up, the message and the session to continue.
/// </summary>
internal sealed class AgentStepConfig(AvailableAgents available)
{
    public sealed record FollowUp(string Message, string SessionId);

    /// <summary>The configuration, or a problem when a named agent file does not exist.</summary>
    public async Task<(string? Config, ProblemHttpResult? Problem)> BuildAsync(CardRow card, string branch, string baseBranch, FollowUp? followUp, CancellationToken ct)
    {
        if (card.StepType != "agent")
            return (card.StepConfig, null);
        var config = JsonNode.Parse(card.StepConfig)!.AsObject();
        if (config["agent_files"] is JsonArray { Count: > 0 } names)
        {
            var found = await available.OnBranchAsync(card.RepoId, branch, ct) ?? await available.OnBranchAsync(card.RepoId, baseBranch, ct);
            var agents = found?.Agents.ToDictionary(a => a.Name, StringComparer.OrdinalIgnoreCase) ?? [];
            var missing = names.Select(n => n!.GetValue<string>()).Where(n => !agents.ContainsKey(n)).ToList();
            if (missing.Count > 0)
                return (null, Problems.Conflict("Agent file not found",
                    $"The card names agent files that are neither in {AvailableAgents.Directory}/ on {branch} nor on the platform: {string.Join(", ", missing)}."));
            config["system_prompt"] = string.Join("\n\n", names.Select(n => agents[n!.GetValue<string>()]).Select(a => $"# {a.Name}\n{a.Content}"));
        }
        if (followUp is not null)
        {
            config["follow_up"] = followUp.Message;
            config["resume_session"] = followUp.SessionId;
        }
        return (config.ToJsonString(), null);
    }
}
