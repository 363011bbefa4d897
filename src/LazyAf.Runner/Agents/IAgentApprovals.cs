namespace LazyAf.Runner.Agents;

/// <summary>
/// Where an agent's tool-permission requests go for a decision: the host stores them as pending approvals
/// on the execution and waits for a person (a remote runner relays them over its stream).
/// </summary>
public interface IAgentApprovals
{
    /// <summary>
    /// Asks whether execution <paramref name="executionId"/> may run the tool of <paramref name="request"/>
    /// and waits for the answer; an unanswered request times out to deny.
    /// </summary>
    Task<ApprovalDecision> DecideAsync(string executionId, AgentEvent request, CancellationToken ct);
}

/// <summary>An answer to a tool-permission request.</summary>
/// <param name="Allow">True to let the tool run.</param>
/// <param name="Message">Why not (the agent sees it), or a note.</param>
public sealed record ApprovalDecision(bool Allow, string? Message);
