using LazyAf.Testing;

namespace LazyAf.Modules.Repos.Tests;

/// <summary>The quarantines (<c>objects/tmp_objdir-incoming-*</c>) pushes killed mid-transfer leave in a bare repo.</summary>
public sealed class AbandonedPushTests : IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Every_quarantine_left_by_an_unfinished_push_is_deleted_at_start_up()
    {
        await using var host = LazyAfHost.Start();
        var repo = await SeededRepo.CreateAsync(host, _work, "abandoned-at-start");
        var left = Quarantine(host, repo.Id, "killed", TimeSpan.Zero);

        await host.RestartAsync();

        Assert.False(Directory.Exists(left));
        // The repo itself is untouched (the restarted host has another port, so it is asked through the API).
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync($"/api/repos/{repo.Id}/commits?branch=main")).StatusCode);
    }

    [Fact]
    public async Task While_the_host_runs_a_quarantine_untouched_for_the_grace_goes_and_a_live_one_stays()
    {
        await using var host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Repos:AbandonedPushCheckInterval"] = "00:00:00.200" });
        var repo = await SeededRepo.CreateAsync(host, _work, "abandoned-while-running");
        var live = Quarantine(host, repo.Id, "receiving", TimeSpan.Zero);
        var old = Quarantine(host, repo.Id, "old", TimeSpan.FromHours(2));

        await Eventually.HoldsAsync(() => !Directory.Exists(old), () => "the old quarantine is still there");
        // A later sweep, which must have looked at the live one too.
        var older = Quarantine(host, repo.Id, "older", TimeSpan.FromHours(3));
        await Eventually.HoldsAsync(() => !Directory.Exists(older), () => "the older quarantine is still there");

        Assert.True(File.Exists(Path.Combine(live, "pack", "incoming.pack")));
    }

    /// <summary>A quarantine as git makes it, with a pack being received, last written <paramref name="age"/> ago.</summary>
    private static string Quarantine(LazyAfHost host, string repoId, string name, TimeSpan age)
    {
        var dir = Path.Combine(host.DataDir, "repos", repoId + ".git", "objects", "tmp_objdir-incoming-" + name);
        var pack = Path.Combine(dir, "pack", "incoming.pack");
        Directory.CreateDirectory(Path.GetDirectoryName(pack)!);
        File.WriteAllBytes(pack, new byte[4096]);
        var at = DateTime.UtcNow - age;
        File.SetLastWriteTimeUtc(pack, at);
        Directory.SetLastWriteTimeUtc(Path.GetDirectoryName(pack)!, at);
        Directory.SetLastWriteTimeUtc(dir, at);
        return dir;
    }
}
