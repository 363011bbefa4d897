using LazyAf.Modules.Repos.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Repos.Tests;

public sealed class BranchRefsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    private IBranchRefs Refs => fixture.Host.Services.GetRequiredService<IBranchRefs>();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_new_branch_is_created_then_fast_forwarded_and_each_move_is_recorded_as_an_api_push()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "refs-create");
        var first = (await repo.RemoteShaAsync("main"))!;
        var second = await repo.CommitAsync("two.txt", "two\n", "Two");
        await repo.PushAsync("main");

        Assert.Equal(new BranchRefResult(BranchRefOutcome.Created, first), await Refs.FastForwardAsync(repo.Id, "saved/work", first, default));
        Assert.Equal(new BranchRefResult(BranchRefOutcome.FastForwarded, second), await Refs.FastForwardAsync(repo.Id, "saved/work", second, default));
        Assert.Equal(new BranchRefResult(BranchRefOutcome.UpToDate, second), await Refs.FastForwardAsync(repo.Id, "saved/work", second, default));
        Assert.Equal(second, await repo.RemoteShaAsync("saved/work"));
        var pushes = await repo.PushesAsync();
        Assert.Contains(pushes, p => (p.Str("source"), p.Str("ref"), p.Str("old_sha"), p.Str("new_sha")) == ("api", "refs/heads/saved/work", PushReceived.ZeroSha, first));
        Assert.Contains(pushes, p => (p.Str("source"), p.Str("ref"), p.Str("old_sha"), p.Str("new_sha")) == ("api", "refs/heads/saved/work", first, second));
    }

    [Fact]
    public async Task A_branch_is_never_moved_backwards_or_sideways_and_bad_input_changes_nothing()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "refs-refuse");
        var first = (await repo.RemoteShaAsync("main"))!;
        var second = await repo.CommitAsync("two.txt", "two\n", "Two");
        await repo.PushAsync("main");

        Assert.Equal(BranchRefOutcome.Diverged, (await Refs.FastForwardAsync(repo.Id, "main", first, default)).Outcome);
        Assert.Equal(BranchRefOutcome.Rejected, (await Refs.FastForwardAsync(repo.Id, "main", new string('0', 39) + "1", default)).Outcome);
        Assert.Equal(BranchRefOutcome.Rejected, (await Refs.FastForwardAsync(repo.Id, "main", "HEAD~1", default)).Outcome);
        Assert.Equal(BranchRefOutcome.Rejected, (await Refs.FastForwardAsync(repo.Id, "bad..name", second, default)).Outcome);
        Assert.Equal(BranchRefOutcome.Rejected, (await Refs.FastForwardAsync(new string('a', 32), "x", second, default)).Outcome);
        Assert.Equal(second, await repo.RemoteShaAsync("main"));

        Assert.Equal(BranchRefOutcome.Rejected, (await Refs.DeleteAsync(repo.Id, "main", second, default)).Outcome);
        await Refs.FastForwardAsync(repo.Id, "doomed", second, default);
        Assert.Equal(new BranchRefResult(BranchRefOutcome.Moved, second, "'doomed' changed while it was being deleted; try again."), await Refs.DeleteAsync(repo.Id, "doomed", first, default));
        Assert.Equal(BranchRefOutcome.Deleted, (await Refs.DeleteAsync(repo.Id, "doomed", second, default)).Outcome);
        Assert.Null(await repo.RemoteShaAsync("doomed"));
        Assert.Equal(second, await repo.RemoteShaAsync("main"));
    }
}
