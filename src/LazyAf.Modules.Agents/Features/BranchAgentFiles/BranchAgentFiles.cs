using LazyAf.Modules.Agents.Contracts;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Agents.Domain;
using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Agents.Features.BranchAgentFiles;

/// <summary>
/// The agent files a branch sees: the repo's <c>.lazyaf/agents/*.yml</c> over the platform's agent files of the same
/// name; files that do not parse come back as errors.
/// </summary>
internal sealed class BranchAgentFiles(IRepoCatalog repos, AgentFileStore platform)
{
    /// <summary>Null when the branch does not exist.</summary>
    public async Task<(List<BranchAgentFile> Files, List<AgentFileError> Errors)?> OnBranchAsync(string repoId, string branch, CancellationToken ct)
    {
        if (await repos.ReadFilesAsync(repoId, branch, IAgentInstructions.RepoDirectory, [".yml", ".yaml"], ct) is not { } files)
            return null;
        var (fromRepo, errors) = RepoAgentFiles.Parse(files);
        var repoNames = fromRepo.Select(a => a.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var fromPlatform = (await platform.ListAsync(ct))
            .Where(f => !repoNames.Contains(f.Name))
            .Select(f => new BranchAgentFile(f.Name, f.Description, f.Content, f.Model, "platform", null));
        return ([.. fromRepo.Concat(fromPlatform).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)], errors);
    }
}
