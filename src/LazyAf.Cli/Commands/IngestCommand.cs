using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Git;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf ingest PATH</c>: registers a local repository in LazyAF (idempotent by name), points a
/// <c>lazyaf</c> remote at it (with <c>lazyaf git-credential</c> as git's credential helper for LazyAF's URL) and
/// pushes the current branch, <c>--branch B</c>, or every branch and tag.
/// </summary>
internal static class IngestCommand
{
    private const string RemoteName = "lazyaf";

    private sealed record Request(string Path, string? Name, string? Branch, bool AllBranches);

    public static Command Create(CliContext context, ServerOptions server)
    {
        var path = new Argument<string>("path") { Description = "The local git repository to ingest" };
        var name = new Option<string?>("--name") { Description = "Its name in LazyAF (default: the directory's name)" };
        var branch = new Option<string?>("--branch") { Description = "Push this branch and make it the default (default: the current branch)" };
        var allBranches = new Option<bool>("--all-branches") { Description = "Push every local branch and every tag" };
        var command = new Command("ingest", "Register a local git repository in LazyAF and push it there") { path, name, branch, allBranches };
        command.Validators.Add(result =>
        {
            if (result.GetResult(branch) is not null && result.GetValue(allBranches))
                result.AddError("--branch and --all-branches cannot be used together.");
        });
        command.SetAction(async (parse, ct) =>
        {
            var request = new Request(context.FullPath(parse.GetValue(path)!), parse.GetValue(name), parse.GetValue(branch), parse.GetValue(allBranches));
            var connection = server.Connect(parse, context);
            using var api = new ApiClient(connection);
            await RunAsync(request, api, connection, context, ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync(Request request, ApiClient api, Connection connection, CliContext context, CancellationToken ct)
    {
        var local = await LocalRepository.OpenAsync(request.Path, context, connection, ct);
        var branch = await BranchToPushAsync(local, request.Branch, ct);
        var remoteUrl = await local.RemoteUrlAsync("origin", ct);
        var name = request.Name ?? DefaultName(local.Path);

        var (repo, created) = await api.IngestAsync(new IngestRequest(name, branch, remoteUrl), ct);
        await context.Output.WriteLineAsync($"{(created ? "Created" : "Found")} repo {repo.Name} (id {repo.Id})");
        await context.Output.WriteLineAsync($"  clone url: {repo.CloneUrl}");

        await SetCredentialHelperAsync(local, new Uri(repo.CloneUrl), connection, context, ct);
        var refspecs = request.AllBranches ? await EveryBranchAsync(local, ct) : [$"refs/heads/{branch}:refs/heads/{branch}"];
        // To the URL, not the remote: the clone's 'lazyaf' remote is pointed at this repo only once the push has worked.
        var report = await local.PushAsync(repo.CloneUrl, refspecs, force: false, ct);
        if (report.Rejections.Any())
        {
            var refused = string.Join(", ", report.Rejections.Select(r => $"{r.Target} {r.Summary}"));
            throw new CliFailure(report.Rejections.Any(r => r.NonFastForward)
                ? $"LazyAF refused {refused}: its {repo.Name} has commits that {local.Path} does not"
                : $"LazyAF refused {refused}" + (report.Result.ServerReason is { } why ? $" ({why})" : ""));
        }
        if (!report.Succeeded)
            throw new CliFailure($"pushing to LazyAF failed: {report.Result.ErrorLine}");
        await local.SetRemoteAsync(RemoteName, repo.CloneUrl, ct);

        var pushed = request.AllBranches
            ? $"{refspecs.Count(r => !r.StartsWith("refs/tags/", StringComparison.Ordinal))} branches and {await local.CountRefsAsync("refs/tags", ct)} tags"
            : branch;
        await context.Output.WriteLineAsync($"  pushed {pushed} to remote '{RemoteName}'");
    }

    /// <summary>
    /// So that plain git finds the token by itself: in this repository (<c>git push lazyaf</c>) and in the user's global
    /// config for LazyAF's URL only (<c>git clone</c> elsewhere), as <c>gh auth setup-git</c> does for GitHub.
    /// </summary>
    private static async Task SetCredentialHelperAsync(LocalRepository local, Uri server, Connection connection, CliContext context, CancellationToken ct)
    {
        var (written, reason) = await local.SetCredentialHelperAsync("--local", server, connection.DataDir, ct);
        if (!written)
            throw new CliFailure($"cannot set git's credential helper in {local.Path}: {reason}");
        (written, reason) = await local.SetCredentialHelperAsync("--global", server, connection.DataDir, ct);
        await context.Output.WriteLineAsync(written
            ? $"  git credential helper: lazyaf git-credential for {server.GetLeftPart(UriPartial.Authority)} (this repo and your global git config)"
            : $"  git credential helper: lazyaf git-credential for {server.GetLeftPart(UriPartial.Authority)} in this repo only (global git config: {reason})");
    }

    /// <summary>
    /// Every local branch, every branch of <c>origin</c> that has no local branch of its name (a fresh clone has one local
    /// branch of several), and every tag.
    /// </summary>
    private static async Task<IReadOnlyList<string>> EveryBranchAsync(LocalRepository local, CancellationToken ct)
    {
        const string OriginPrefix = "refs/remotes/origin/";
        var locals = await local.RefsAsync("refs/heads/", ct);
        var localNames = locals.Select(r => r["refs/heads/".Length..]).ToHashSet(StringComparer.Ordinal);
        var fromOrigin = (await local.RefsAsync(OriginPrefix, ct))
            .Select(r => r[OriginPrefix.Length..])
            .Where(name => !localNames.Contains(name))
            .Select(name => $"{OriginPrefix}{name}:refs/heads/{name}");
        return [.. locals.Select(r => $"{r}:{r}"), .. fromOrigin, "refs/tags/*:refs/tags/*"];
    }

    /// <summary>The branch to push and make the default: the one asked for, else the one checked out.</summary>
    private static async Task<string> BranchToPushAsync(LocalRepository local, string? asked, CancellationToken ct)
    {
        if (asked is not null)
            return await local.HasBranchAsync(asked, ct) ? asked : throw new CliFailure($"{local.Path} has no branch '{asked}'");
        var current = await local.CurrentBranchAsync(ct)
            ?? throw new CliFailure($"{local.Path} has a detached HEAD; name the branch to push with --branch");
        return await local.HasBranchAsync(current, ct) ? current : throw new CliFailure($"{local.Path} has no commits on '{current}' yet");
    }

    /// <summary>The directory's name; a bare repository's <c>app.git</c> becomes <c>app</c>.</summary>
    private static string DefaultName(string path)
    {
        var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(path));
        return name.EndsWith(".git", StringComparison.OrdinalIgnoreCase) ? name[..^4] : name;
    }
}
