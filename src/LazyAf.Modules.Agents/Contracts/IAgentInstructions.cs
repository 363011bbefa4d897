namespace LazyAf.Modules.Agents.Contracts;

/// <summary>
/// Turns named agent files into an agent's extra instructions, for the steps that name them (a card's, a pipeline
/// step's <c>agent_files</c>). The files are the platform's and a repo's <c>.lazyaf/agents/*.yml</c>.
/// </summary>
public interface IAgentInstructions
{
    /// <summary>Where a repo keeps its agent files.</summary>
    public const string RepoDirectory = ".lazyaf/agents";

    /// <summary>The instructions of <paramref name="names"/> as <paramref name="branch"/> sees them, a repo file over a platform one of the same name.</summary>
    Task<AgentInstructions> ResolveAsync(string repoId, string branch, IReadOnlyList<string> names, CancellationToken ct);
}

/// <summary>Resolved agent files.</summary>
/// <param name="BranchFound">False when the branch does not exist (then nothing was resolved).</param>
/// <param name="Text">The files' instructions, each under a heading with its name, in the order asked.</param>
/// <param name="Missing">Names that are neither on the branch nor on the platform.</param>
public sealed record AgentInstructions(bool BranchFound, string Text, IReadOnlyList<string> Missing);
