using System.Net;
using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Testing;

namespace LazyAf.Modules.Repos.Tests;

/// <summary>
/// Every ref change is recorded whatever happens to the client or the host, against the host as its own process: git's
/// reference-transaction hook journals each change, and what a killed git or a dead host left is recorded from it.
/// </summary>
public sealed class RefRecordingTests : IDisposable
{
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();

    public void Dispose()
    {
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_push_whose_client_goes_away_once_the_host_answers_keeps_its_ref_moved_recorded_and_unlocked()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        await using var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await host.WaitForAsync($"{url}/health");
        var (repo, source) = await ProcessHostRepos.CreateAsync(api, url, _work, "cut-push");
        await using var proxy = new PushCuttingProxy(new Uri(url));
        TestGit.Authorize(proxy.Url, () => OwnerCredentials.TokenOf(_data.Path));
        var sha = await TestGit.CommitFileAsync(source, "cut.txt", "sent whole\n", "Pushed by a client that goes away");

        var push = await TestGit.TryAsync(source, "push", "--quiet", $"{proxy.Url}/git/{repo}.git", "HEAD:refs/heads/cut");
        await proxy.Cut;

        Assert.False(push.Succeeded, "the push should have lost its connection");
        await Eventually.HoldsAsync(() => PushedShas(api, repo, "refs/heads/cut").Contains(sha), () => string.Join(", ", PushedShas(api, repo, "refs/heads/cut")));
        Assert.Equal(sha, await RemoteShaAsync(source, url, repo, "cut"));
        // No lock left behind: the next push to that ref goes through.
        var next = await TestGit.CommitFileAsync(source, "cut.txt", "and again\n", "Pushed after the cut");
        await TestGit.RunAsync(source, "push", "--quiet", $"{url}/git/{repo}.git", "HEAD:refs/heads/cut");
        Assert.Equal(next, await RemoteShaAsync(source, url, repo, "cut"));
        Assert.Empty(Journals());
    }

    [Fact]
    public async Task Ref_changes_git_made_for_a_host_that_died_before_recording_them_are_recorded_at_its_next_start_and_no_others()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        string repo, main;
        await using (var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]))
        {
            await host.WaitForAsync($"{url}/health");
            (repo, var source) = await ProcessHostRepos.CreateAsync(api, url, _work, "died");
            main = await TestGit.RunAsync(source, "rev-parse", "HEAD");
            await host.CrashAsync();
        }
        // What git's hook leaves when the host dies: a merge git made and journalled whole; a push git was killed in
        // after it moved the ref (prepared only); one it was killed in before (prepared only, ref unmoved).
        var bare = Path.Combine(_data.Path, "repos", repo + ".git");
        await TestGit.RunAsync(bare, "update-ref", "refs/heads/merged", main);
        await TestGit.RunAsync(bare, "update-ref", "refs/heads/moved", main);
        var merge = Journal(repo, "merge");
        await File.WriteAllTextAsync(merge + ".prepared", $"{PushReceived.ZeroSha} {main} refs/heads/merged\n");
        await File.WriteAllTextAsync(merge, $"{PushReceived.ZeroSha} {main} refs/heads/merged\n");
        await File.WriteAllTextAsync(Journal(repo, "push") + ".prepared", $"{PushReceived.ZeroSha} {main} refs/heads/moved\n");
        await File.WriteAllTextAsync(Journal(repo, "push") + ".prepared", $"{PushReceived.ZeroSha} {main} refs/heads/never-moved\n");

        await using var restarted = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await restarted.WaitForAsync($"{url}/health");

        var pushes = await PushesAsync(api, repo);
        Assert.Contains(pushes, p => p.Str("ref") == "refs/heads/merged" && p.Str("source") == "merge" && p.Str("new_sha") == main);
        Assert.Contains(pushes, p => p.Str("ref") == "refs/heads/moved" && p.Str("source") == "push" && p.Str("new_sha") == main);
        Assert.DoesNotContain(pushes, p => p.Str("ref") == "refs/heads/never-moved");
        Assert.Empty(Journals());
    }

    [Fact]
    public async Task A_branch_deleted_through_the_api_is_recorded_once_with_its_source()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        await using var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await host.WaitForAsync($"{url}/health");
        var (repo, source) = await ProcessHostRepos.CreateAsync(api, url, _work, "deleted");
        var sha = await TestGit.RunAsync(source, "rev-parse", "HEAD");
        await TestGit.RunAsync(source, "push", "--quiet", $"{url}/git/{repo}.git", "HEAD:refs/heads/doomed");

        using var deleted = await api.DeleteAsync($"/api/repos/{repo}/branches/doomed");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        var recorded = (await PushesAsync(api, repo)).Where(p => p.Str("ref") == "refs/heads/doomed").ToList();
        Assert.Equal([("push", sha), ("api", PushReceived.ZeroSha)], recorded.Select(p => (p.Str("source"), p.Str("new_sha"))).Reverse());
        Assert.Empty(Journals());
    }

    private string Journal(string repo, string source) => Path.Combine(_data.Path, "tmp", "pushes", $"{repo}.{Ids.New()}.{source}.log");

    private string[] Journals()
    {
        var dir = Path.Combine(_data.Path, "tmp", "pushes");
        return Directory.Exists(dir) ? Directory.GetFiles(dir) : [];
    }

    private static async Task<JsonElement[]> PushesAsync(HttpClient api, string repo) =>
        [.. (await (await api.GetAsync($"/api/repos/{repo}/pushes")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];

    private static string[] PushedShas(HttpClient api, string repo, string refName) =>
        [.. PushesAsync(api, repo).GetAwaiter().GetResult().Where(p => p.Str("ref") == refName).Select(p => p.Str("new_sha"))];

    private static async Task<string> RemoteShaAsync(string source, string url, string repo, string branch) =>
        (await TestGit.RunAsync(source, "ls-remote", $"{url}/git/{repo}.git", $"refs/heads/{branch}")).Split('\t')[0];
}
