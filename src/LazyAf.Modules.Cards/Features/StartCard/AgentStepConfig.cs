using System.Text.Json.Nodes;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Cards.Features.RepoAgents;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Cards.Features.StartCard;

/// <summary>
/// The step configuration an agent card's execution gets: the card's own, with its <c>agent_files</c> turned into
/// the agent's extra instructions (<c>system_prompt</c>, repo files over platform ones, read from the branch the
/// work is on) and, for a follow-up, the message and the session to continue.
/// </summary>
internal sealed class AgentStepConfig(IAgentInstructions instructions)
{
    public sealed record FollowUp(string Message, string SessionId);

    /// <summary>The configuration, or a problem when a named agent file does not exist.</summary>
    public async Task<(string? Config, ConflictProblem? Problem)> BuildAsync(CardRow card, string branch, string baseBranch, FollowUp? followUp, CancellationToken ct)
    {
        if (card.StepType != "agent")
            return (card.StepConfig, null);
        var config = JsonNode.Parse(card.StepConfig)!.AsObject();
        if (config["agent_files"] is JsonArray { Count: > 0 } files)
        {
            // The card's branch once it exists; before its first run, the branch it starts from.
            var names = files.Select(n => n!.GetValue<string>()).ToList();
            var resolved = await instructions.ResolveAsync(card.RepoId, branch, names, ct);
            if (!resolved.BranchFound)
                resolved = await instructions.ResolveAsync(card.RepoId, baseBranch, names, ct);
            if (resolved.Missing.Count > 0)
                return (null, Problems.Conflict("Agent file not found",
                    $"The card names agent files that are neither in {AvailableAgents.Directory}/ on {branch} nor on the platform: {string.Join(", ", resolved.Missing)}."));
            config["system_prompt"] = resolved.Text;
        }
        if (followUp is not null)
        {
            config["follow_up"] = followUp.Message;
            config["resume_session"] = followUp.SessionId;
        }
        return (config.ToJsonString(), null);
    }
}
