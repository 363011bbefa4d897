using LazyAf.Runner.Git;
using LazyAf.Runner.Logs;
using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Workspace;

/// <summary>
/// The files a fresh workspace gets before set-up (e.g. <c>.env</c> from the repo's secrets), kept out of commits:
/// excluded from <c>git add</c>, unstaged before the runner commits (<see cref="WorkBranchPush"/>), and refused when
/// the branch tracks the path, since writing it there would put the secrets into the next commit.
/// </summary>
internal static class WorkspaceFiles
{
    public static async Task WriteAsync(StepSpec spec, string workspace, GitCli git, LogShipper log, CancellationToken ct)
    {
        foreach (var (relative, content) in spec.Files)
        {
            var path = StepWorkingDirectory.Resolve(workspace, relative)
                ?? throw new StepFailedException($"file '{relative}' would be outside the workspace");
            if (await git.AskAsync(["ls-files", "--error-unmatch", "--", relative], ct) is not null)
                throw new StepFailedException(
                    $"the repo's secrets_file {relative} is tracked in this branch, so the secrets written to it would be committed; " +
                    $"untrack it (git rm --cached {relative}) or set another secrets_file");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, ct);
            await GitExclude.AddAsync(workspace, "/" + Path.GetRelativePath(workspace, path).Replace('\\', '/'), ct);
            await log.SystemAsync($"wrote {relative} (not committed)");
        }
    }
}
