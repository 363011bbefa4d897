using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Git;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf sync [REPO]</c>: brings the real remote's new commits into LazyAF, through the clone that ingest pushed from.
/// It fetches the remote, then fast-forwards each of LazyAF's branches the remote also has (a plain push, never forced),
/// and says of each: updated, up to date, ahead (LazyAF has work the remote lacks: land it) or diverged (both have commits
/// the other lacks: left alone, exit 1). Branches only the remote has are pushed with <c>--all-branches</c>.
/// </summary>
internal static class SyncCommand
{
    /// <summary>Where LazyAF's branches are fetched to in the clone: out of the way of the user's own refs.</summary>
    private const string LazyafRefs = "refs/lazyaf-sync/";

    private const string IngestRemote = "lazyaf";

    private sealed record Request(string? Repo, string Remote, bool AllBranches, string Directory);

    public static Command Create(CliContext context, ServerOptions server)
    {
        var repo = new Argument<string?>("repo") { Description = "The repo's name or id (default: the one the clone's 'lazyaf' remote points at)", Arity = ArgumentArity.ZeroOrOne };
        var remote = new Option<string>("--remote") { Description = "The real remote to bring commits from", DefaultValueFactory = _ => "origin" };
        var allBranches = new Option<bool>("--all-branches") { Description = "Also push the remote's branches that LazyAF does not have" };
        var directory = new Option<string?>("--directory", "-C") { Description = "The local clone to sync through (default: the current directory)" };
        var command = new Command("sync", "Fetch the real remote and fast-forward LazyAF's branches to it (never forced); exit 1 when one diverged")
        {
            repo, remote, allBranches, directory,
        };
        command.SetAction(async (parse, ct) =>
        {
            var request = new Request(parse.GetValue(repo), parse.GetValue(remote)!, parse.GetValue(allBranches), context.FullPath(parse.GetValue(directory) ?? "."));
            var connection = server.Connect(parse, context);
            using var api = new ApiClient(connection);
            await RunAsync(request, api, connection, context, ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(Request request, ApiClient api, Connection connection, CliContext context, CancellationToken ct)
    {
        var local = await LocalRepository.OpenAsync(request.Directory, context, connection, ct);
        if (await local.RemoteUrlAsync(request.Remote, ct) is not { } remoteUrl)
            throw new CliFailure($"{local.Path} has no remote named '{request.Remote}'");
        var repo = await RepoOfAsync(request, local, api, ct);
        await local.FetchAsync(request.Remote, refspec: null, ct);
        await local.FetchAsync(repo.CloneUrl, $"+refs/heads/*:{LazyafRefs}*", ct);

        var remotePrefix = $"refs/remotes/{request.Remote}/";
        var theirs = Names(await local.RefsAsync(remotePrefix, ct), remotePrefix);
        var ours = Names(await local.RefsAsync(LazyafRefs, ct), LazyafRefs);
        await context.Output.WriteLineAsync($"Syncing {repo.Name} from {request.Remote} ({remoteUrl})");

        var outcomes = new List<(string Branch, string Text)>();
        var diverged = new List<string>();
        var pushes = new List<(string Branch, string Old, string New)>();
        foreach (var branch in ours.Intersect(theirs, StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            var (lazyaf, remote) = (await local.ShaAsync(LazyafRefs + branch, ct), await local.ShaAsync(remotePrefix + branch, ct));
            var (behind, ahead) = (await local.CountCommitsAsync(lazyaf, remote, ct), await local.CountCommitsAsync(remote, lazyaf, ct));
            if (behind == 0 && ahead == 0)
                outcomes.Add((branch, "up to date"));
            else if (ahead == 0)
                pushes.Add((branch, lazyaf, remote));
            else if (behind == 0)
                outcomes.Add((branch, $"LazyAF is {Commits(ahead)} ahead of {request.Remote} (land them with: lazyaf land {repo.Name} --branch {branch} -C {local.Path})"));
            else
            {
                diverged.Add(branch);
                outcomes.Add((branch, $"diverged, left alone: LazyAF has {Commits(ahead)} {request.Remote} lacks, {request.Remote} has {Commits(behind)} LazyAF lacks. "
                    + $"Merge them by hand: git switch -c sync-{branch} {CardText.Sha(lazyaf)} && git merge {request.Remote}/{branch} && git push {IngestRemote} HEAD:{branch}"));
            }
        }
        var missing = theirs.Except(ours, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (request.AllBranches)
            pushes.AddRange(await Task.WhenAll(missing.Select(async b => (b, "", await local.ShaAsync(remotePrefix + b, ct)))));

        if (pushes.Count > 0)
            diverged.AddRange(await PushAsync(local, repo, pushes, outcomes, ct));
        foreach (var (branch, text) in outcomes.OrderBy(o => o.Branch, StringComparer.Ordinal))
            await context.Output.WriteLineAsync($"  {branch}: {text}");
        if (missing.Count > 0 && !request.AllBranches)
            await context.Output.WriteLineAsync($"  {request.Remote} has {missing.Count} branch{(missing.Count == 1 ? "" : "es")} LazyAF lacks: {string.Join(", ", missing)} (lazyaf sync --all-branches pushes them)");
        if (diverged.Count > 0)
            throw new CliFailure($"{diverged.Count} branch{(diverged.Count == 1 ? "" : "es")} of {repo.Name} diverged from {request.Remote} and {(diverged.Count == 1 ? "was" : "were")} left alone: {string.Join(", ", diverged)} (nothing was forced)");
    }

    /// <summary>
    /// Pushes the fast-forwards and new branches in one plain push, adding each one's outcome; answers the branches LazyAF
    /// refused (moved meanwhile, or a rule of its git server).
    /// </summary>
    private static async Task<List<string>> PushAsync(LocalRepository local, Repo repo, List<(string Branch, string Old, string New)> pushes,
        List<(string Branch, string Text)> outcomes, CancellationToken ct)
    {
        var report = await local.PushAsync(repo.CloneUrl, [.. pushes.Select(p => $"{p.New}:refs/heads/{p.Branch}")], force: false, ct);
        if (!report.Succeeded && !report.Rejections.Any())
            throw new CliFailure($"pushing to LazyAF failed: {report.Result.ErrorLine}");
        var refused = new List<string>();
        foreach (var (branch, old, now) in pushes)
        {
            var status = report.Refs.FirstOrDefault(r => r.Target == $"refs/heads/{branch}");
            if (status is { Rejected: true })
            {
                refused.Add(branch);
                outcomes.Add((branch, status.NonFastForward
                    ? "LazyAF's branch moved while syncing, left alone (run lazyaf sync again)"
                    : $"LazyAF refused it: {status.Summary}{(report.Result.ServerReason is { } why ? $" ({why})" : "")}"));
            }
            else
                outcomes.Add((branch, old.Length == 0 ? $"created at {CardText.Sha(now)}" : $"updated {CardText.Sha(old)}..{CardText.Sha(now)} ({Commits(await local.CountCommitsAsync(old, now, ct))})"));
        }
        return refused;
    }

    /// <summary>The repo named, else the one the clone's <c>lazyaf</c> remote (made by ingest) points at.</summary>
    private static async Task<Repo> RepoOfAsync(Request request, LocalRepository local, ApiClient api, CancellationToken ct)
    {
        if (request.Repo is { } named)
            return await RepoArgument.ResolveAsync(api, named, ct);
        var url = await local.RemoteUrlAsync(IngestRemote, ct)
            ?? throw new CliFailure($"{local.Path} has no '{IngestRemote}' remote: name the repo (lazyaf sync REPO) or ingest it first (lazyaf ingest {local.Path})");
        return (await api.ListReposAsync(ct)).Find(r => string.Equals(r.CloneUrl.TrimEnd('/'), url.TrimEnd('/'), StringComparison.Ordinal))
            ?? throw new CliFailure($"the '{IngestRemote}' remote of {local.Path} points at {url}, which is no repo of this LazyAF; name the repo: lazyaf sync REPO");
    }

    private static HashSet<string> Names(IEnumerable<string> refs, string prefix) =>
        refs.Select(r => r[prefix.Length..]).Where(name => name != "HEAD").ToHashSet(StringComparer.Ordinal);

    private static string Commits(int count) => count == 1 ? "1 commit" : $"{count} commits";

}
