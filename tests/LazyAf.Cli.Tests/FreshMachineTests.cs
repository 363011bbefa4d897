using System.Net;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// The README's quick start for the owner on a fresh machine: a host started with no flags but its address, in a
/// fresh HOME, and a CLI and git that are given nothing — no token, no data directory, none of the tests' git credentials.
/// </summary>
public sealed partial class FreshMachineTests : IDisposable
{
    private readonly TempDir _home = new("lazyaf-home");
    private readonly TempDir _work = new();

    public void Dispose()
    {
        _work.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task Ingest_leaves_a_global_git_config_of_dev_null_a_device()
    {
        // CI jobs point GIT_CONFIG_GLOBAL at /dev/null; git's rename-into-place write would turn it into a plain file.
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        await using var host = HostProcess.Start(["--urls", url], new Dictionary<string, string> { ["HOME"] = _home.Path });
        await host.WaitForAsync($"{url}/health");
        var cli = new LazyafCli(url, new Dictionary<string, string>(TestGit.BaseEnvironment) { ["HOME"] = _home.Path });
        var source = await TestGit.InitAsync(_work.Combine("app"));

        var ingested = (await cli.RunAsync(source, "ingest", ".")).AssertSucceeded();

        Assert.Contains("in this repo only (global git config: GIT_CONFIG_GLOBAL is /dev/null, not a file)", ingested.Output, StringComparison.Ordinal);
        using var stat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%F", "/dev/null"]) { RedirectStandardOutput = true })!;
        Assert.Equal("character special file", (await stat.StandardOutput.ReadToEndAsync()).Trim());
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/login\?code=[A-Za-z0-9_-]+")]
    private static partial Regex LoginLink();

    [Fact]
    public async Task The_owner_uses_the_cli_plain_git_and_the_login_link_with_no_flag()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        await using var host = HostProcess.Start(["--urls", url], new Dictionary<string, string> { ["HOME"] = _home.Path });
        await host.WaitForAsync($"{url}/health");
        // What the owner's shell has: a HOME with a git config of its own, and nothing LazyAF-specific.
        var gitConfig = Path.Combine(_home.Path, ".gitconfig");
        await File.WriteAllTextAsync(gitConfig, "");
        var shell = new Dictionary<string, string>(TestGit.BaseEnvironment) { ["HOME"] = _home.Path, ["GIT_CONFIG_GLOBAL"] = gitConfig };
        var cli = new LazyafCli(url, shell);

        (await cli.RunAsync(_work.Path, "repos")).AssertSucceeded();
        var source = await TestGit.InitAsync(_work.Combine("app"));
        var ingested = (await cli.RunAsync(source, "ingest", ".")).AssertSucceeded();
        Assert.Contains("this repo and your global git config", ingested.Output, StringComparison.Ordinal);

        var sha = await TestGit.CommitFileAsync(source, "more.txt", "more\n", "More");
        var push = await TestGit.TryWithAsync(shell, source, "push", "--quiet", "lazyaf", "main");
        Assert.True(push.Succeeded, push.Error);
        var clone = await TestGit.TryWithAsync(shell, _work.Path, "clone", "--quiet", $"{url}/git/{ingested.RepoId}.git", _work.Combine("clone"));
        Assert.True(clone.Succeeded, clone.Error);
        Assert.Equal(sha, await TestGit.RunAsync(_work.Combine("clone"), "rev-parse", "HEAD"));
        Assert.DoesNotContain("lazyaf_", await File.ReadAllTextAsync(Path.Combine(source, ".git", "config")), StringComparison.Ordinal);
        Assert.DoesNotContain("lazyaf_", await File.ReadAllTextAsync(gitConfig), StringComparison.Ordinal);

        var link = (await host.WaitForLogAsync(LoginLink())).Value;
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var login = await browser.GetAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        var newLink = (await cli.RunAsync(_work.Path, "login")).AssertSucceeded().Output.Split('\n')[0];
        Assert.Matches(LoginLink(), newLink);
        Assert.NotEqual(link, newLink);
    }

    [Fact]
    public async Task Another_user_works_with_a_token_the_owner_made_and_is_refused_what_it_lacks()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        await using var host = HostProcess.Start(["--urls", url], new Dictionary<string, string> { ["HOME"] = _home.Path });
        await host.WaitForAsync($"{url}/health");
        var owner = new LazyafCli(url, new Dictionary<string, string>(TestGit.BaseEnvironment) { ["HOME"] = _home.Path });

        (await owner.RunAsync(_work.Path, "user", "add", "carol")).AssertSucceeded();
        var made = (await owner.RunAsync(_work.Path, "token", "create", "laptop", "--user", "carol", "--scope", "read,cards")).AssertSucceeded();
        var token = made.Output.Split('\n')[0];
        var users = (await owner.RunAsync(_work.Path, "user", "list")).AssertSucceeded();
        var tokens = (await owner.RunAsync(_work.Path, "token", "list")).AssertSucceeded();
        // Carol's machine: another HOME, so no owner token to find; her token comes in the environment.
        using var carolHome = new TempDir("lazyaf-carol");
        var carol = new LazyafCli(url, new Dictionary<string, string>(TestGit.BaseEnvironment) { ["HOME"] = carolHome.Path, ["LAZYAF_TOKEN"] = token });
        var nobody = new LazyafCli(url, new Dictionary<string, string>(TestGit.BaseEnvironment) { ["HOME"] = carolHome.Path });

        Assert.Contains("carol", users.Output, StringComparison.Ordinal);
        Assert.Contains("laptop", tokens.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, tokens.Output, StringComparison.Ordinal);
        (await carol.RunAsync(_work.Path, "repos")).AssertSucceeded();
        Assert.Contains("with the 'admin' scope", (await carol.RunAsync(_work.Path, "user", "list")).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Contains("needs a token and there is none in", (await nobody.RunAsync(_work.Path, "repos")).AssertFailedWithOneLine(), StringComparison.Ordinal);

        var id = tokens.Output.Split('\n').Single(l => l.Contains("laptop", StringComparison.Ordinal)).Split(' ')[0];
        Assert.Contains("LazyAF has no token 'nosuch'", (await owner.RunAsync(_work.Path, "token", "revoke", "nosuch")).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Equal($"Revoked token {id}\n", (await owner.RunAsync(_work.Path, "token", "revoke", id[..12])).AssertSucceeded().Output);
        Assert.Contains("refused the token from $LAZYAF_TOKEN", (await carol.RunAsync(_work.Path, "repos")).AssertFailedWithOneLine(), StringComparison.Ordinal);
    }
}
