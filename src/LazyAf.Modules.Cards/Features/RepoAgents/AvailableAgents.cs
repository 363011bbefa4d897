using LazyAf.Modules.Cards.Data;
using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Cards.Features.RepoAgents;

/// <summary>
/// The agents a card can use on a branch: the repo's <c>.lazyaf/agents/*.yml</c> over the platform's agent files of
/// the same name; files that do not parse come back as errors.
/// </summary>
internal sealed class AvailableAgents(IRepoCatalog repos, AgentFileStore platform)
{
    public const string Directory = ".lazyaf/agents";

    /// <summary>Null when the branch does not exist.</summary>
    public async Task<(List<RepoAgentsEndpoint.Agent> Agents, List<RepoAgentFiles.FileError> Errors)?> OnBranchAsync(string repoId, string branch, CancellationToken ct)
    {
        if (await repos.ReadFilesAsync(repoId, branch, Directory, [".yml", ".yaml"], ct) is not { } files)
            return null;
        var (fromRepo, errors) = RepoAgentFiles.Parse(files);
        var repoNames = fromRepo.Select(a => a.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fromPlatform = (await platform.ListAsync(ct))
            .Where(f => !repoNames.Contains(f.Name))
            .Select(f => new RepoAgentsEndpoint.Agent(f.Name, f.Description, f.Content, f.Model, "platform", null));
        return ([.. fromRepo.Concat(fromPlatform).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)], errors);
    }
}
