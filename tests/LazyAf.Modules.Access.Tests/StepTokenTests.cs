using System.Net;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Access.Tests;

/// <summary>
/// A step's token reaches only its repo's git server and pushes only its own work branch; it dies when disposed (the
/// execution ended) or when it expires; and what a step can see never holds the owner's token.
/// </summary>
public sealed class StepTokenTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    private LazyAfHost Host => fixture.Host;

    private IStepTokens StepTokens => Host.Services.GetRequiredService<IStepTokens>();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_step_token_pushes_its_own_work_branch_and_is_refused_the_default_and_another_cards_branch()
    {
        var repo = await SeededRepo.CreateAsync(Host, _work, "step-push");
        var main = await repo.RemoteShaAsync("main");
        using var token = StepTokens.Issue("exec-1", repo.Id, "lazyaf/card-aaaa1111", TimeSpan.FromMinutes(5));
        var clone = await CloneAsync(repo, token.Value, "clone");
        await TestGit.CommitFileAsync(clone, "work.txt", "work\n", "Step work");

        var own = await PushAsync(clone, "lazyaf/card-aaaa1111");
        var toMain = await PushAsync(clone, "main");
        var toOther = await PushAsync(clone, "lazyaf/card-bbbb2222");

        own.AssertSucceeded();
        Assert.False(toMain.Succeeded);
        Assert.Contains("lazyaf: this step's token may push only lazyaf/card-aaaa1111, not main", toMain.Error, StringComparison.Ordinal);
        Assert.False(toOther.Succeeded);
        Assert.Contains("not lazyaf/card-bbbb2222", toOther.Error, StringComparison.Ordinal);
        Assert.Equal(main, await repo.RemoteShaAsync("main"));
        Assert.Null(await repo.RemoteShaAsync("lazyaf/card-bbbb2222"));
        Assert.NotNull(await repo.RemoteShaAsync("lazyaf/card-aaaa1111"));
    }

    [Fact]
    public async Task A_step_token_reaches_neither_another_repo_nor_the_api()
    {
        var mine = await SeededRepo.CreateAsync(Host, _work, "step-mine");
        var other = await SeededRepo.CreateAsync(Host, _work, "step-other");
        using var token = StepTokens.Issue("exec-2", mine.Id, "lazyaf/card-cccc3333", TimeSpan.FromMinutes(5));
        using var client = Host.CreateClient(token.Value);

        var problem = await (await client.GetAsync("/api/repos")).ProblemAsync(HttpStatusCode.Unauthorized);
        var clone = await TestGit.TryWithAsync(TestGit.BaseEnvironment, _work.Path, "clone", "--quiet", UrlWith(other, token.Value), _work.Combine("other"));

        Assert.Equal("A step token reaches only the git server of its own repo.", problem.Str("detail"));
        Assert.False(clone.Succeeded);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/git/{mine.Id}.git/info/refs?service=git-upload-pack")).StatusCode);
    }

    [Fact]
    public async Task A_revoked_or_expired_step_token_cannot_clone()
    {
        var repo = await SeededRepo.CreateAsync(Host, _work, "step-dead");
        var revoked = StepTokens.Issue("exec-3", repo.Id, "lazyaf/card-dddd4444", TimeSpan.FromMinutes(5));
        await CloneAsync(repo, revoked.Value, "while-live");
        revoked.Dispose();
        var expired = StepTokens.Issue("exec-4", repo.Id, "lazyaf/card-eeee5555", TimeSpan.FromMilliseconds(1));
        await Eventually.HoldsAsync(() => DateTimeOffset.UtcNow > expired.ExpiresAt, () => "the token has not expired yet");

        var afterRevoke = await TestGit.TryWithAsync(TestGit.BaseEnvironment, _work.Path, "clone", "--quiet", UrlWith(repo, revoked.Value), _work.Combine("a"));
        var afterExpiry = await TestGit.TryWithAsync(TestGit.BaseEnvironment, _work.Path, "clone", "--quiet", UrlWith(repo, expired.Value), _work.Combine("b"));

        Assert.False(afterRevoke.Succeeded);
        Assert.Contains("Authentication failed", afterRevoke.Error, StringComparison.Ordinal);
        Assert.False(afterExpiry.Succeeded);
        Assert.Contains("Authentication failed", afterExpiry.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_step_sees_no_token_and_cannot_push_by_itself_while_its_runner_pushes_the_work_branch()
    {
        var repo = await SeededRepo.CreateAsync(Host, _work, "step-sees");
        var main = await repo.RemoteShaAsync("main");
        const string command = "env; cat .git/config; git config --list --show-origin; "
            + "git push origin HEAD:refs/heads/main 2>&1 || echo push-refused; echo done > done.txt";
        var card = await (await Host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "Look around", step_type = "script", step_config = new { command } })).JsonAsync(HttpStatusCode.Created);
        using var start = await Host.Client.PostAsync($"/api/cards/{card.Str("id")}/start", null);
        await start.JsonAsync(HttpStatusCode.Accepted);
        var execution = start.Headers.Location!.ToString().Split('/')[^1];

        await Eventually.HoldsAsync(
            async () => (await (await Host.Client.GetAsync($"/api/cards/{card.Str("id")}")).JsonAsync(HttpStatusCode.OK)).Str("status") != "in_progress",
            () => Host.Client.GetStringAsync($"/api/cards/{card.Str("id")}"), TimeSpan.FromSeconds(60));

        var log = await Host.Client.GetStringAsync($"/api/executions/{execution}/logs");
        Assert.Contains("push-refused", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Host.OwnerToken, log, StringComparison.Ordinal);
        Assert.DoesNotContain("lazyaf_", log, StringComparison.Ordinal);
        Assert.DoesNotContain("extraheader", log, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("in_review", (await (await Host.Client.GetAsync($"/api/cards/{card.Str("id")}")).JsonAsync(HttpStatusCode.OK)).Str("status"));
        Assert.Equal(main, await repo.RemoteShaAsync("main"));
    }

    private async Task<string> CloneAsync(SeededRepo repo, string token, string name)
    {
        var clone = _work.Combine(name);
        (await TestGit.TryWithAsync(TestGit.BaseEnvironment, _work.Path, "clone", "--quiet", UrlWith(repo, token), clone)).AssertSucceeded();
        return clone;
    }

    private static Task<TestGit.Result> PushAsync(string clone, string branch) =>
        TestGit.TryWithAsync(TestGit.BaseEnvironment, clone, "push", "origin", $"HEAD:refs/heads/{branch}");

    private string UrlWith(SeededRepo repo, string token) =>
        Host.GitUrl(repo.Id).Replace("http://", $"http://step:{token}@", StringComparison.Ordinal);
}
