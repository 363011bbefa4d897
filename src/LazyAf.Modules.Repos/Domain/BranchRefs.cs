using System.Text.RegularExpressions;
using LazyAf.Kernel;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>
/// Every ref move LazyAF makes itself (merges, branches deleted or fast-forwarded through the API) goes through
/// <see cref="MoveAsync"/>: <c>git update-ref</c> with the old sha, so a push racing the move is never
/// overwritten, journalled by git's hook and recorded with its <see cref="PushReceived"/> like a push
/// (<see cref="RefChangeRecorder"/>): a host that dies between the move and the record records it at its next start.
/// </summary>
internal sealed partial class BranchRefs(BareRepositories repos, RepoStore store, RepoHistory history, RefChangeRecorder recorder) : IBranchRefs
{
    /// <summary>Moves <paramref name="refName"/> from <paramref name="oldSha"/> to <paramref name="newSha"/> (zeros create or delete it); false when it had moved.</summary>
    public async Task<bool> MoveAsync(string repoId, string refName, string oldSha, string newSha, string source, string reason, CancellationToken ct)
    {
        string[] move = newSha == PushReceived.ZeroSha
            ? ["update-ref", "-m", $"lazyaf: {reason}", "-d", refName, oldSha]
            : ["update-ref", "-m", $"lazyaf: {reason}", refName, newSha, oldSha];
        var journal = recorder.NewJournal(repoId, source);
        var moved = await GitCli.RunAsync(repos.PathOf(repoId), ["-c", "core.hooksPath=" + repos.HooksDir, .. move], CancellationToken.None,
            new Dictionary<string, string> { [RefChangeRecorder.JournalVariable] = journal });
        // The ref has moved, or not: recording it must not be cancelled halfway.
        await recorder.RecordAsync(journal, interrupted: false, CancellationToken.None);
        return moved.Succeeded;
    }

    public async Task<BranchRefResult> FastForwardAsync(string repoId, string branch, string sha, CancellationToken ct)
    {
        if (!Ids.IsValid(repoId) || await store.FindAsync(repoId, ct) is null)
            return new(BranchRefOutcome.Rejected, null, $"There is no repo '{repoId}'.");
        if (BranchNames.Check(branch) is { } invalid)
            return new(BranchRefOutcome.Rejected, null, invalid);
        var tip = history.BranchTip(repoId, branch);
        var path = repos.PathOf(repoId);
        if (!CommitId().IsMatch(sha) || (await GitCli.RunAsync(path, ["rev-parse", "--verify", "--quiet", sha + "^{commit}"], ct)).StandardOutput.Trim() != sha)
            return new(BranchRefOutcome.Rejected, tip, $"'{sha}' is not a commit of this repo.");
        if (tip == sha)
            return new(BranchRefOutcome.UpToDate, tip);
        if (tip is not null && (await GitCli.RunAsync(path, ["merge-base", "--is-ancestor", tip, sha], ct)).ExitCode != 0)
            return new(BranchRefOutcome.Diverged, tip, $"Branch '{branch}' holds commits that {sha[..7]} does not contain.");

        if (!await MoveAsync(repoId, "refs/heads/" + branch, tip ?? PushReceived.ZeroSha, sha, "api", $"fast-forward {branch}", ct))
            return new(BranchRefOutcome.Moved, history.BranchTip(repoId, branch), $"Branch '{branch}' moved meanwhile; try again.");
        return new(tip is null ? BranchRefOutcome.Created : BranchRefOutcome.FastForwarded, sha);
    }

    public async Task<BranchRefResult> DeleteAsync(string repoId, string branch, string expectedSha, CancellationToken ct)
    {
        if (!Ids.IsValid(repoId) || await store.FindAsync(repoId, ct) is not { } repo)
            return new(BranchRefOutcome.Rejected, null, $"There is no repo '{repoId}'.");
        if (BranchNames.Check(branch) is { } invalid)
            return new(BranchRefOutcome.Rejected, null, invalid);
        if (branch == repo.DefaultBranch)
            return new(BranchRefOutcome.Rejected, expectedSha, $"'{branch}' is the default branch of {repo.Name}.");
        return await MoveAsync(repoId, "refs/heads/" + branch, expectedSha, PushReceived.ZeroSha, "api", "delete branch", ct)
            ? new(BranchRefOutcome.Deleted, null)
            : new(BranchRefOutcome.Moved, history.BranchTip(repoId, branch), $"'{branch}' changed while it was being deleted; try again.");
    }

    [GeneratedRegex("^([0-9a-f]{40}|[0-9a-f]{64})$")]
    private static partial Regex CommitId();
}
