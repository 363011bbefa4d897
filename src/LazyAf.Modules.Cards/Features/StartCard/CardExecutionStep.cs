using LazyAf.Kernel.Http;
using LazyAf.Modules.Cards.Domain;
using LazyAf.Modules.Agents.Contracts;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Cards.Features.StartCard;

/// <summary>
/// The typed step a card's execution runs: the card's own, with an agent card's <c>agent_files</c> turned into the
/// agent's extra instructions (repo files over platform ones, read from the branch the work is on) and, for a
/// follow-up, the message and the session to continue.
/// </summary>
internal sealed class CardExecutionStep(IAgentInstructions instructions)
{
    public sealed record FollowUp(string Message, string SessionId);

    /// <summary>The step, or a problem when the card's step no longer reads (stored under older rules) or names an agent file that does not exist.</summary>
    public async Task<(StepDefinition? Step, ConflictProblem? Problem)> BuildAsync(CardRow card, string branch, string baseBranch, FollowUp? followUp, CancellationToken ct)
    {
        var read = CardSteps.Read(card);
        if (read.Step is not { } step)
            return (null, Problems.Conflict("Card step invalid",
                $"Card {card.Id} has a step that is not valid any more; edit its step: {string.Join(" ", read.Errors.Select(e => e.Message))}."));
        if (step is not AgentStep agent)
            return (step, null);
        if (agent.AgentFiles.Count > 0)
        {
            // The card's branch once it exists; before its first run, the branch it starts from.
            var resolved = await instructions.ResolveAsync(card.RepoId, branch, agent.AgentFiles, ct);
            if (!resolved.BranchFound)
                resolved = await instructions.ResolveAsync(card.RepoId, baseBranch, agent.AgentFiles, ct);
            if (resolved.Missing.Count > 0)
                return (null, Problems.Conflict("Agent file not found",
                    $"The card names agent files that are neither in {IAgentInstructions.RepoDirectory}/ on {branch} nor on the platform: {string.Join(", ", resolved.Missing)}."));
            agent = agent with { SystemPrompt = resolved.Text };
        }
        return (followUp is null ? agent : agent with { FollowUp = followUp.Message, ResumeSession = followUp.SessionId }, null);
    }
}
