using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Testing;

namespace LazyAf.Modules.Workspaces.Tests;

public sealed class LeaseTests
{
    [Fact]
    public async Task Two_shared_leases_on_one_key_get_one_directory_in_use_until_both_are_released()
    {
        await using var host = WorkspaceHost.Start();
        var repo = Ids.New();

        var first = await host.Workspaces.AcquireAsync("run:one", repo, CancellationToken.None);
        var second = await host.Workspaces.AcquireAsync("run:one", repo, CancellationToken.None);

        Assert.Equal(first.WorkspaceId, second.WorkspaceId);
        Assert.Equal(first.Path, second.Path);
        Assert.Equal(Path.Combine(host.Root, first.WorkspaceId), first.Path);
        Assert.True(Directory.Exists(first.Path));
        Assert.Equal(("in_use", 2), await host.StateOfAsync(first.WorkspaceId));

        await first.DisposeAsync();
        await first.DisposeAsync(); // a second dispose releases nothing more
        Assert.Equal(("in_use", 1), await host.StateOfAsync(first.WorkspaceId));

        await second.DisposeAsync();
        Assert.Equal(("ready", 0), await host.StateOfAsync(first.WorkspaceId));
        Assert.True(Directory.Exists(first.Path));
    }

    [Fact]
    public async Task Different_keys_get_different_directories()
    {
        await using var host = WorkspaceHost.Start();
        await using var a = await host.Workspaces.AcquireAsync("execution:a", Ids.New(), CancellationToken.None);
        await using var b = await host.Workspaces.AcquireAsync("execution:b", Ids.New(), CancellationToken.None);
        Assert.NotEqual(a.Path, b.Path);
    }

    [Fact]
    public async Task With_none_kept_warm_releasing_a_key_for_good_removes_its_workspace_now_and_the_key_can_start_again()
    {
        await using var host = WorkspaceHost.Start(warmPerRepo: 0);
        var lease = await host.Workspaces.AcquireAsync("execution:x", Ids.New(), CancellationToken.None);
        await lease.DisposeAsync();

        await host.Workspaces.ReleaseKeyAsync("execution:x", CancellationToken.None);

        Assert.Equal(("removed", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.False(Directory.Exists(lease.Path));
        await using var again = await host.Workspaces.AcquireAsync("execution:x", Ids.New(), CancellationToken.None);
        Assert.NotEqual(lease.WorkspaceId, again.WorkspaceId);
        Assert.True(Directory.Exists(again.Path));
        Assert.False(again.Reused);
    }

    [Fact]
    public async Task A_released_workspace_is_kept_warm_and_the_next_new_key_of_its_repo_takes_it_with_what_it_holds()
    {
        await using var host = WorkspaceHost.Start();
        var repo = Ids.New();
        var first = await host.Workspaces.AcquireAsync("execution:first", repo, CancellationToken.None);
        Assert.False(first.Reused);
        await File.WriteAllTextAsync(Path.Combine(first.Path, "left-behind"), "x");
        await first.DisposeAsync();

        await host.Workspaces.ReleaseKeyAsync("execution:first", CancellationToken.None);
        Assert.Equal(("warm", 0), await host.StateOfAsync(first.WorkspaceId));
        await using var second = await host.Workspaces.AcquireAsync("execution:second", repo, CancellationToken.None);

        Assert.Equal((first.WorkspaceId, first.Path, true, "execution:second"), (second.WorkspaceId, second.Path, second.Reused, second.Key));
        Assert.True(File.Exists(Path.Combine(second.Path, "left-behind")));
        Assert.Equal(("in_use", 1), await host.StateOfAsync(first.WorkspaceId));
        // A second lease on the same key is that key's own directory, not a reused one.
        await using var again = await host.Workspaces.AcquireAsync("execution:second", repo, CancellationToken.None);
        Assert.Equal((first.WorkspaceId, false), (again.WorkspaceId, again.Reused));
    }

    [Fact]
    public async Task A_warm_workspace_is_never_handed_to_another_repo()
    {
        await using var host = WorkspaceHost.Start();
        var first = await host.Workspaces.AcquireAsync("execution:mine", Ids.New(), CancellationToken.None);
        await first.DisposeAsync();
        await host.Workspaces.ReleaseKeyAsync("execution:mine", CancellationToken.None);

        await using var other = await host.Workspaces.AcquireAsync("execution:theirs", Ids.New(), CancellationToken.None);

        Assert.NotEqual(first.WorkspaceId, other.WorkspaceId);
        Assert.False(other.Reused);
        Assert.Equal(("warm", 0), await host.StateOfAsync(first.WorkspaceId));
    }

    [Fact]
    public async Task Concurrent_new_keys_never_share_a_warm_workspace_and_a_repo_keeps_no_more_warm_than_its_limit()
    {
        await using var host = WorkspaceHost.Start(warmPerRepo: 2);
        var repo = Ids.New();
        var released = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => host.Workspaces.AcquireAsync($"execution:old{i}", repo, CancellationToken.None)));
        foreach (var lease in released)
            await lease.DisposeAsync();
        await Task.WhenAll(released.Select(l => host.Workspaces.ReleaseKeyAsync(l.Key, CancellationToken.None)));
        var states = await Task.WhenAll(released.Select(l => host.StateOfAsync(l.WorkspaceId)));
        Assert.Equal(2, states.Count(s => s.State == "warm"));
        Assert.Equal(1, states.Count(s => s.State == "removed"));

        var taken = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => host.Workspaces.AcquireAsync($"execution:new{i}", repo, CancellationToken.None)));

        Assert.Equal(6, taken.Select(l => l.WorkspaceId).Distinct().Count());
        Assert.Equal(2, taken.Count(l => l.Reused));
        Assert.All(taken.Where(l => l.Reused), l => Assert.Contains(l.WorkspaceId, released.Select(r => r.WorkspaceId)));
        foreach (var lease in taken)
            Assert.Equal(("in_use", 1), await host.StateOfAsync(lease.WorkspaceId));
    }

    [Fact]
    public async Task Releasing_a_key_still_leased_keeps_its_workspace()
    {
        await using var host = WorkspaceHost.Start();
        await using var lease = await host.Workspaces.AcquireAsync("execution:held", Ids.New(), CancellationToken.None);

        await host.Workspaces.ReleaseKeyAsync("execution:held", CancellationToken.None);

        Assert.Equal(("in_use", 1), await host.StateOfAsync(lease.WorkspaceId));
        Assert.True(Directory.Exists(lease.Path));
    }

    [Fact]
    public async Task Many_concurrent_leases_on_one_key_share_one_workspace_and_all_release()
    {
        await using var host = WorkspaceHost.Start();
        var repo = Ids.New();
        var leases = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => host.Workspaces.AcquireAsync("run:busy", repo, CancellationToken.None)));
        Assert.Single(leases.Select(l => l.WorkspaceId).Distinct());
        Assert.Equal(("in_use", 8), await host.StateOfAsync(leases[0].WorkspaceId));

        await Task.WhenAll(leases.Select(l => l.DisposeAsync().AsTask()));
        Assert.Equal(("ready", 0), await host.StateOfAsync(leases[0].WorkspaceId));
    }

    [Fact]
    public async Task The_api_lists_workspaces_and_answers_404_with_problem_details_for_an_unknown_one()
    {
        await using var host = WorkspaceHost.Start();
        await using var lease = await host.Workspaces.AcquireAsync("run:listed", Ids.New(), CancellationToken.None);

        var list = await host.Host.Client.GetFromJsonAsync<JsonElement>("/api/workspaces");
        Assert.Contains(list.EnumerateArray(), w => w.GetProperty("id").GetString() == lease.WorkspaceId && w.GetProperty("key").GetString() == "run:listed");

        using var missing = await host.Host.Client.GetAsync($"/api/workspaces/{Ids.New()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Each_change_is_published_as_workspace_updated_on_the_repo_and_workspace_topics()
    {
        await using var host = WorkspaceHost.Start(warmPerRepo: 0);
        var repo = Ids.New();
        await using var live = await LiveClient.ConnectAsync(host.Host, topics: $"repo:{repo}", after: 0);

        var lease = await host.Workspaces.AcquireAsync("run:watched", repo, CancellationToken.None);
        await lease.DisposeAsync();
        await host.Workspaces.ReleaseKeyAsync("run:watched", CancellationToken.None);

        var states = new List<string>();
        while (states.LastOrDefault() != "removed")
        {
            var message = await live.NextAsync();
            if (message.GetProperty("type").GetString() != "workspace.updated")
                continue;
            var workspace = message.GetProperty("payload").GetProperty("workspace");
            Assert.Equal(lease.WorkspaceId, workspace.GetProperty("id").GetString());
            states.Add(workspace.GetProperty("state").GetString()!);
        }
        Assert.Equal(["creating", "ready", "in_use", "ready", "cleaning", "removed"], states);
    }
}
