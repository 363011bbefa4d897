using System.Collections.Concurrent;
using System.Text;
using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Git;

/// <summary>
/// A runner's bare copy of each repository it has checked out, so a new workspace borrows its objects (git's
/// alternates) instead of receiving the whole history again: a clone then fetches only what the cache lacks, which is
/// nothing once the cache is fresh. One cache per repository (its URL's path), never shared between repositories, so a step cannot read
/// another repository's objects. It is only ever added to: <c>gc.pruneExpire=never</c> keeps every object a workspace
/// may still borrow, whatever happens to the host's repository or the cache's refs.
/// </summary>
internal sealed class GitObjectCache(string root, string? caFile, TimeSpan killGrace)
{
    // Two steps of one repo fetch into its cache one after the other; git's ref locks would fail the second.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Refreshing = new(StringComparer.Ordinal);

    /// <summary>
    /// Brings the cache of <paramref name="repo"/> up to date with every branch and tag of its remote and returns its
    /// directory, or null (said in the log) when it cannot: the checkout then clones without it.
    /// </summary>
    public async Task<string?> RefreshAsync(RepoCheckout repo, LogShipper log, CancellationToken ct)
    {
        var directory = Path.Combine(root, Key(repo.CloneUrl));
        var gate = Refreshing.GetOrAdd(directory, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            var git = new GitCli(directory, repo.Token, caFile, log, killGrace);
            if (!File.Exists(Path.Combine(directory, "HEAD")))
                await CreateAsync(git, directory, ct);
            // Fetched by URL, not a remote: the host's address may change between runs (a new port after a restart).
            if (await git.AskAsync(["fetch", "--quiet", "--prune", "--no-tags", "--", repo.CloneUrl, "+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"], ct) is null)
            {
                await log.SystemAsync("the object cache could not be refreshed; cloning without it");
                return null;
            }
            return directory;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or StepFailedException)
        {
            await log.SystemAsync($"the object cache is not usable ({e.Message}); cloning without it");
            return null;
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task CreateAsync(GitCli git, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        string[][] setup =
        [
            ["init", "--quiet", "--bare", "."],
            // Workspaces borrow objects that no ref of the cache may hold any more: nothing is ever pruned.
            ["config", "gc.pruneExpire", "never"],
        ];
        foreach (var args in setup)
        {
            if (await git.AskAsync(args, ct) is null)
                throw new StepFailedException($"git {args[0]} failed in {directory}");
        }
    }

    /// <summary>
    /// The repository's key: its URL's path (its id on its host; not the port, which may change), hashed into a
    /// directory name that cannot climb out of a root (letters, digits and one '-'). FNV-1a, not SHA-256: the native
    /// agent must not need OpenSSL (a board may lack it).
    /// </summary>
    public static string Key(string cloneUrl)
    {
        var path = Uri.TryCreate(cloneUrl, UriKind.Absolute, out var uri) ? uri.AbsolutePath : cloneUrl;
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(path))
            hash = (hash ^ b) * 1099511628211UL;
        var readable = new string([.. Path.GetFileNameWithoutExtension(path).Where(char.IsAsciiLetterOrDigit).Take(40)]);
        return $"{readable}-{hash:x16}";
    }
}
