using System.Globalization;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// A step's checkout borrows the objects of the runner's git object cache instead of receiving the whole history: on the
/// real host, its git server, real git and (for the container) the real engine.
/// </summary>
public sealed class ObjectCacheTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    // What a step tells about its checkout, committed so the test reads it from the branch.
    private const string Inspect =
        "git rev-list --count HEAD > history.txt; git diff --name-only HEAD~2 HEAD > diff.txt; git count-objects -v > objects.txt";

    private const string History = "git rev-list --count HEAD > history.txt";

    private readonly TempDir _work = new();
    private readonly CardRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_steps_checkout_holds_no_objects_of_its_own_yet_sees_the_whole_history_and_diffs_against_the_base()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cache-history");
        await repo.CommitAsync("one.txt", "1\n", "One");
        await repo.CommitAsync("two.txt", "2\n", "Two");
        await repo.PushAsync("HEAD:main");
        var commits = int.Parse(await repo.GitAsync("rev-list", "--count", "HEAD"), CultureInfo.InvariantCulture);

        var branch = await RunAsync(repo, Inspect);

        Assert.Equal(commits.ToString(CultureInfo.InvariantCulture), await ShowAsync(repo, branch, "history.txt"));
        Assert.Equal("one.txt\ntwo.txt", await ShowAsync(repo, branch, "diff.txt"));
        var objects = await ShowAsync(repo, branch, "objects.txt");
        Assert.Contains("in-pack: 0", objects, StringComparison.Ordinal);
        Assert.Contains($"/{WorkspacesRoot.ObjectCacheName}/", objects, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Objects_a_workspace_borrowed_outlive_the_hosts_repository_dropping_them_and_a_gc_of_the_cache()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cache-gc");
        var dropped = await repo.CommitAsync("dropped.txt", "soon gone\n", "Dropped later");
        await repo.PushAsync("HEAD:main");
        var first = await RunAsync(repo, History);

        // main is rewritten without the commit, the card's branch that holds it goes, and the host forgets it at once.
        await repo.GitAsync("reset", "--quiet", "--hard", "HEAD~1");
        await repo.GitAsync("push", "--quiet", "--force", "origin", "HEAD:main", $":{first}");
        await TestGit.RunAsync(repo.BarePath, "reflog", "expire", "--expire=now", "--all");
        await TestGit.RunAsync(repo.BarePath, "gc", "--quiet", "--prune=now");
        Assert.False((await TestGit.TryAsync(repo.BarePath, "cat-file", "-e", dropped)).Succeeded);

        var branch = await RunAsync(repo, History);
        var caches = Directory.GetDirectories(Path.Combine(fixture.Host.DataDir, "workspaces", WorkspacesRoot.ObjectCacheName));
        var cache = Assert.Single(caches, d => TestGit.TryAsync(d, "cat-file", "-e", dropped).GetAwaiter().GetResult().Succeeded);
        // Aged past git's default prune expiry (two weeks), as in a cache that has served for a month.
        foreach (var file in Directory.EnumerateFiles(Path.Combine(cache, "objects"), "*", SearchOption.AllDirectories))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-30));
        await TestGit.RunAsync(cache, "gc", "--quiet");

        Assert.True((await TestGit.TryAsync(cache, "cat-file", "-e", dropped)).Succeeded, "gc kept the object a workspace may borrow");
        Assert.Equal(await repo.GitAsync("rev-list", "--count", "HEAD"), await ShowAsync(repo, branch, "history.txt"));
    }

    [Fact]
    public async Task A_step_cannot_read_another_repositorys_objects_through_the_cache()
    {
        var other = await SeededRepo.CreateAsync(fixture.Host, _work, "cache-other");
        var secret = await other.CommitAsync("secret.txt", "only in the other repo\n", "Other's commit");
        await other.PushAsync("HEAD:main");
        await RunAsync(other, "true");

        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cache-mine");
        var branch = await RunAsync(repo, $"if git cat-file -e {secret}; then echo leaked; else echo absent; fi > leak.txt");

        Assert.Equal("absent", await ShowAsync(repo, branch, "leak.txt"));
    }

    [Fact]
    public async Task A_container_sees_the_borrowed_objects_at_the_same_path_and_cannot_change_them()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cache-container");
        var card = await _runs.CreateDockerCardAsync(repo.Id, "lazyaf/busybox:test",
            "alt=$(cat .git/objects/info/alternates); ls \"$alt\" > listing.txt; " +
            "if touch \"$alt/written\" 2>/dev/null; then echo writable; else echo read-only; fi > mode.txt", commit: true);
        await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);
        Assert.Equal("in_review", settled.Str("status"));
        var branch = settled.Str("branch_name");

        Assert.Contains("pack", (await ShowAsync(repo, branch, "listing.txt")).Split('\n'));
        Assert.Equal("read-only", await ShowAsync(repo, branch, "mode.txt"));
    }

    private async Task<string> RunAsync(SeededRepo repo, string command)
    {
        var card = await _runs.CreateScriptCardAsync(repo.Id, command, new { commit = true });
        await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);
        Assert.Equal("in_review", settled.Str("status"));
        return settled.Str("branch_name");
    }

    private static async Task<string> ShowAsync(SeededRepo repo, string branch, string file)
    {
        await repo.GitAsync("fetch", "--quiet", "origin");
        return (await repo.GitAsync("show", $"origin/{branch}:{file}")).Trim();
    }
}
