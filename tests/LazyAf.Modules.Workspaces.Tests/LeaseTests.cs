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
    public async Task Releasing_a_key_for_good_removes_its_workspace_now_and_the_key_can_start_again()
    {
        await using var host = WorkspaceHost.Start();
        var lease = await host.Workspaces.AcquireAsync("execution:x", Ids.New(), CancellationToken.None);
        await lease.DisposeAsync();

        await host.Workspaces.ReleaseKeyAsync("execution:x", CancellationToken.None);

        Assert.Equal(("removed", 0), await host.StateOfAsync(lease.WorkspaceId));
        Assert.False(Directory.Exists(lease.Path));
        await using var again = await host.Workspaces.AcquireAsync("execution:x", Ids.New(), CancellationToken.None);
        Assert.NotEqual(lease.WorkspaceId, again.WorkspaceId);
        Assert.True(Directory.Exists(again.Path));
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
        await using var host = WorkspaceHost.Start();
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
