using LazyAf.Kernel;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>
/// Where the bare repositories live (<c>{data}/repos/{id}.git</c>) and how they are made and removed.
/// Paths are only ever built from validated ids, so nothing outside the store can be reached.
/// </summary>
internal sealed class BareRepositories(LazyAfOptions options)
{
    public string Root { get; } = Path.Combine(options.DataDir, "repos");

    public string HooksDir { get; } = Path.Combine(options.DataDir, "git-hooks");

    public string PushLogDir { get; } = Path.Combine(options.DataDir, "tmp", "pushes");

    private string TrashDir => Path.Combine(options.DataDir, "tmp", "trash");

    public string PathOf(string id) =>
        Ids.IsValid(id) ? Path.Combine(Root, id + ".git") : throw new ArgumentException($"'{id}' is not a repo id.", nameof(id));

    public bool Exists(string id) => Ids.IsValid(id) && Directory.Exists(PathOf(id));

    public async Task CreateAsync(string id, string defaultBranch, CancellationToken ct)
    {
        var path = PathOf(id);
        Directory.CreateDirectory(Root);
        await RunOrThrowAsync(null, ["init", "--bare", "--quiet", path], ct);
        string[][] settings =
        [
            ["receive.fsckObjects", "true"],
            ["core.logAllRefUpdates", "true"],
            ["uploadpack.allowFilter", "true"],
            ["uploadpack.allowAnySHA1InWant", "true"],
        ];
        foreach (var setting in settings)
            await RunOrThrowAsync(path, ["config", setting[0], setting[1]], ct);
        await SetHeadAsync(id, defaultBranch, ct);
    }

    /// <summary>Points HEAD at the default branch, so clones check it out.</summary>
    public Task SetHeadAsync(string id, string branch, CancellationToken ct) =>
        RunOrThrowAsync(PathOf(id), ["symbolic-ref", "HEAD", "refs/heads/" + branch], ct);

    /// <summary>
    /// Moves the repo out of the store first (one rename), then deletes it: a clone still reading
    /// it fails cleanly and no other repo's directory is touched.
    /// </summary>
    public void Delete(string id)
    {
        var path = PathOf(id);
        if (!Directory.Exists(path))
            return;
        Directory.CreateDirectory(TrashDir);
        var trashed = Path.Combine(TrashDir, id + "-" + Ids.New());
        Directory.Move(path, trashed);
        Directory.Delete(trashed, recursive: true);
    }

    private static async Task RunOrThrowAsync(string? gitDir, string[] args, CancellationToken ct)
    {
        var result = await GitCli.RunAsync(gitDir, args, ct);
        if (!result.Succeeded)
            throw new InvalidOperationException($"git {args[0]} failed: {result.StandardError.Trim()}");
    }
}
