using LazyAf.Testing;

namespace LazyAf.Modules.Access.Tests;

/// <summary>Plain git against LazyAF's git server, with none of the tests' own credentials: only what a user's git has.</summary>
public sealed class GitAccessTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Git_without_a_token_is_asked_for_one_and_cannot_clone()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "no-token");

        var clone = await TestGit.TryWithAsync(TestGit.BaseEnvironment, _work.Path, "clone", fixture.Host.GitUrl(repo.Id), _work.Combine("clone"));

        Assert.False(clone.Succeeded);
        // The Basic challenge made git want a user name (its terminal prompt is off here).
        Assert.Contains("could not read Username", clone.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_git_clones_and_pushes_with_any_user_name_and_the_token_as_the_password()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "plain-git");
        var url = fixture.Host.GitUrl(repo.Id).Replace("http://", $"http://anyone:{fixture.Host.OwnerToken}@", StringComparison.Ordinal);
        var clone = _work.Combine("clone");

        (await TestGit.TryWithAsync(TestGit.BaseEnvironment, _work.Path, "clone", "--quiet", url, clone)).AssertSucceeded();
        var sha = await TestGit.CommitFileAsync(clone, "pushed.txt", "pushed\n", "Pushed with the token as password");
        (await TestGit.TryWithAsync(TestGit.BaseEnvironment, clone, "push", "--quiet", "origin", "HEAD:refs/heads/pushed")).AssertSucceeded();

        Assert.Equal(sha, await repo.RemoteShaAsync("pushed"));
    }

    [Fact]
    public async Task A_read_token_can_clone_but_not_push()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "read-only");
        var (token, _) = await Tokens.CreateAsync(fixture.Host, ["read"]);
        var url = fixture.Host.GitUrl(repo.Id).Replace("http://", $"http://reader:{token}@", StringComparison.Ordinal);
        var clone = _work.Combine("clone");
        (await TestGit.TryWithAsync(TestGit.BaseEnvironment, _work.Path, "clone", "--quiet", url, clone)).AssertSucceeded();
        await TestGit.CommitFileAsync(clone, "nope.txt", "nope\n", "Not allowed");

        var push = await TestGit.TryWithAsync(TestGit.BaseEnvironment, clone, "push", "--quiet", "origin", "HEAD:refs/heads/nope");

        Assert.False(push.Succeeded);
        Assert.Contains("403", push.Error, StringComparison.Ordinal);
        Assert.Null(await repo.RemoteShaAsync("nope"));
    }
}

internal static class GitResults
{
    public static TestGit.Result AssertSucceeded(this TestGit.Result result)
    {
        Assert.True(result.Succeeded, $"git failed ({result.ExitCode}): {result.Error}");
        return result;
    }
}
