using LazyAf.Kernel;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Testing;

namespace LazyAf.Modules.Workspaces.Tests;

public sealed class CleanerTests
{
    [Fact]
    public async Task The_cleaner_never_removes_a_leased_workspace()
    {
        await using var host = WorkspaceHost.Start(diskBudgetBytes: 0);
        var lease = await host.Workspaces.AcquireAsync("run:held", Ids.New(), CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(lease.Path, "file.txt"), "work in progress");

        host.Clock.Advance(WorkspaceHost.Grace * 3);
        await host.SweepAsync();

        Assert.Equal(("in_use", 1), await host.StateOfAsync(lease.WorkspaceId));
        Assert.True(File.Exists(Path.Combine(lease.Path, "file.txt")));

        await lease.DisposeAsync();
        host.Clock.Advance(WorkspaceHost.Grace + TimeSpan.FromMinutes(1));
        await host.SweepAsync();
        Assert.Equal(("removed", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.False(Directory.Exists(lease.Path));
    }

    // A warm workspace (its key released for good) waits out the same grace as a ready one (its key still held).
    [Theory]
    [InlineData("run:done", false, "ready")]
    [InlineData("execution:warmed", true, "warm")]
    public async Task An_unleased_workspace_stays_within_the_grace_period_and_is_removed_after_it(string key, bool keyReleased, string waiting)
    {
        await using var host = WorkspaceHost.Start();
        var lease = await host.Workspaces.AcquireAsync(key, Ids.New(), CancellationToken.None);
        await lease.DisposeAsync();
        if (keyReleased)
            await host.Workspaces.ReleaseKeyAsync(key, CancellationToken.None);

        host.Clock.Advance(WorkspaceHost.Grace - TimeSpan.FromMinutes(1));
        await host.SweepAsync();
        Assert.Equal((waiting, 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.True(Directory.Exists(lease.Path));

        host.Clock.Advance(TimeSpan.FromMinutes(2));
        await host.SweepAsync();
        Assert.Equal(("removed", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.False(Directory.Exists(lease.Path));
    }

    [Fact]
    public async Task Over_the_disk_budget_the_least_recently_used_ready_workspaces_go_first()
    {
        await using var host = WorkspaceHost.Start(diskBudgetBytes: 2500);
        var repo = Ids.New();
        var held = await host.Workspaces.AcquireAsync("run:held", repo, CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(held.Path, "big.bin"), new byte[5000]);
        var released = new List<string>();
        foreach (var name in new[] { "oldest", "middle", "newest" })
        {
            var lease = await host.Workspaces.AcquireAsync($"run:{name}", repo, CancellationToken.None);
            await File.WriteAllBytesAsync(Path.Combine(lease.Path, "data.bin"), new byte[1000]);
            await lease.DisposeAsync();
            released.Add(lease.WorkspaceId);
            host.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        await host.SweepAsync();

        // 3000 bytes ready against 2500: only the oldest must go. The leased 5000 bytes are not the cleaner's to take.
        Assert.Equal(("removed", 0), await host.StateOfAsync(released[0]));
        Assert.Equal(("ready", 0), await host.StateOfAsync(released[1]));
        Assert.Equal(("ready", 0), await host.StateOfAsync(released[2]));
        Assert.Equal(("in_use", 1), await host.StateOfAsync(held.WorkspaceId));
        Assert.True(File.Exists(Path.Combine(held.Path, "big.bin")));
        await held.DisposeAsync();
    }

    [Fact]
    public async Task A_directory_no_record_knows_is_removed_as_an_orphan()
    {
        await using var host = WorkspaceHost.Start();
        await using var lease = await host.Workspaces.AcquireAsync("run:known", Ids.New(), CancellationToken.None);
        var orphan = Path.Combine(host.Root, Ids.New());
        Directory.CreateDirectory(Path.Combine(orphan, "src"));
        await File.WriteAllTextAsync(Path.Combine(orphan, "src", "left.txt"), "left by a crash");

        var objectCache = Path.Combine(host.Root, WorkspacesRoot.ObjectCacheName, "repo");
        Directory.CreateDirectory(objectCache);

        await host.SweepAsync();

        Assert.False(Directory.Exists(orphan));
        Assert.True(Directory.Exists(lease.Path));
        Assert.True(Directory.Exists(objectCache), "the runner's object cache is no orphan");
    }

    [Fact]
    public async Task After_a_restart_a_workspace_left_in_use_is_released_and_later_cleaned()
    {
        using var data = new TempDir("lazyaf-data");
        await using var host = WorkspaceHost.Start(data.Path);
        // Never disposed: its holder "dies" with the host.
        var lease = await host.Workspaces.AcquireAsync("run:crashed", Ids.New(), CancellationToken.None);
        Assert.Equal(("in_use", 1), await host.StateOfAsync(lease.WorkspaceId));

        await host.Host.RestartAsync();

        Assert.Equal(("ready", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.True(Directory.Exists(lease.Path));
        host.Clock.Advance(WorkspaceHost.Grace + TimeSpan.FromMinutes(1));
        await host.SweepAsync();
        Assert.Equal(("removed", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.False(Directory.Exists(lease.Path));
    }

    [Fact]
    public async Task Over_the_disk_budget_a_warm_workspace_goes_too()
    {
        await using var host = WorkspaceHost.Start(diskBudgetBytes: 1);
        var lease = await host.Workspaces.AcquireAsync("execution:big", Ids.New(), CancellationToken.None);
        await File.WriteAllBytesAsync(Path.Combine(lease.Path, "blob"), new byte[4096]);
        await lease.DisposeAsync();
        await host.Workspaces.ReleaseKeyAsync("execution:big", CancellationToken.None);
        Assert.Equal(("warm", 0), await host.StateOfAsync(lease.WorkspaceId));

        await host.SweepAsync();

        Assert.Equal(("removed", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.False(Directory.Exists(lease.Path));
    }

    [Fact]
    public async Task A_warm_workspace_stays_warm_across_a_restart_and_is_taken_after_it()
    {
        using var data = new TempDir("lazyaf-data");
        await using var host = WorkspaceHost.Start(data.Path);
        var repo = Ids.New();
        var lease = await host.Workspaces.AcquireAsync("execution:before", repo, CancellationToken.None);
        await lease.DisposeAsync();
        await host.Workspaces.ReleaseKeyAsync("execution:before", CancellationToken.None);

        await host.Host.RestartAsync();

        Assert.Equal(("warm", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.True(Directory.Exists(lease.Path));
        await using var after = await host.Workspaces.AcquireAsync("execution:after", repo, CancellationToken.None);
        Assert.Equal((lease.WorkspaceId, true), (after.WorkspaceId, after.Reused));
    }
}
