using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>Whatever goes wrong, the CLI exits non-zero with one clear line on stderr and no stack trace.</summary>
public sealed class FailureTests : CliTest
{
    [Fact]
    public async Task Ingest_of_a_directory_that_is_not_a_git_repo_fails_without_creating_a_repo()
    {
        var plain = Directory.CreateDirectory(Work.Combine("plain")).FullName;

        var line = (await Cli.RunAsync(Work.Path, "ingest", "plain")).AssertFailedWithOneLine();

        Assert.Equal($"lazyaf: {plain} is not a git repository", line);
        Assert.Empty((await Host.Client.GetFromJsonAsync<JsonElement[]>("/api/repos"))!);
    }

    [Fact]
    public async Task Ingest_of_a_path_that_does_not_exist_fails_with_one_line()
    {
        var line = (await Cli.RunAsync(Work.Path, "ingest", "missing")).AssertFailedWithOneLine();

        Assert.Equal($"lazyaf: {Work.Combine("missing")} does not exist", line);
    }

    [Fact]
    public async Task Ingest_of_a_repo_without_commits_or_with_a_detached_head_fails_with_one_line()
    {
        var empty = Work.Combine("empty");
        await TestGit.RunAsync(Work.Path, "init", "--quiet", "--initial-branch", "main", empty);
        var detached = await TestGit.InitAsync(Work.Combine("detached"));
        await TestGit.RunAsync(detached, "checkout", "--quiet", "--detach");

        Assert.Equal($"lazyaf: {empty} has no commits on 'main' yet", (await Cli.RunAsync(empty, "ingest", ".")).AssertFailedWithOneLine());
        Assert.Equal($"lazyaf: {detached} has a detached HEAD; name the branch to push with --branch",
            (await Cli.RunAsync(detached, "ingest", ".")).AssertFailedWithOneLine());
        Assert.Equal($"lazyaf: {detached} has no branch 'nope'", (await Cli.RunAsync(detached, "ingest", ".", "--branch", "nope")).AssertFailedWithOneLine());
        (await Cli.RunAsync(detached, "ingest", ".", "--branch", "main")).AssertSucceeded();
    }

    [Theory]
    [InlineData("lazyaf: Required command was not provided (see: lazyaf card --help)", "card")]
    [InlineData("lazyaf: Required argument missing for command: 'show' (see: lazyaf card show --help)", "card", "show")]
    [InlineData("lazyaf: Unrecognized command or argument 'extra' (see: lazyaf repos --help)", "repos", "extra")]
    [InlineData("lazyaf: Unrecognized command or argument 'frobnicate' (see: lazyaf --help)", "frobnicate")]
    public async Task A_usage_error_is_one_line_saying_what_is_wrong_and_where_the_help_is_with_exit_code_2(string line, params string[] args)
    {
        var result = await Cli.RunAsync(Work.Path, args);

        Assert.Equal(line, result.AssertFailedWithOneLine(exitCode: 2));
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task Ingest_with_both_branch_and_all_branches_is_a_usage_error()
    {
        var source = await TestGit.InitAsync(Work.Combine("app"));

        var result = await Cli.RunAsync(source, "ingest", ".", "--branch", "main", "--all-branches");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--branch and --all-branches", result.Error, StringComparison.Ordinal);
        Assert.Empty((await Host.Client.GetFromJsonAsync<JsonElement[]>("/api/repos"))!);
    }

    [Fact]
    public async Task Ingest_under_a_name_the_API_refuses_reports_the_problem_detail_in_one_line()
    {
        var source = await TestGit.InitAsync(Work.Combine("app"));

        var line = (await Cli.RunAsync(source, "ingest", ".", "--name", "no spaces allowed")).AssertFailedWithOneLine();

        Assert.StartsWith("lazyaf: The request is invalid: name may hold letters", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("branches")]
    [InlineData("land")]
    public async Task Unknown_repo_fails_with_one_line(string command)
    {
        var clone = await TestGit.InitAsync(Work.Combine("app"));
        await TestGit.RunAsync(clone, "remote", "add", "origin", Work.Combine("remote.git"));

        var line = (await Cli.RunAsync(clone, command, "nope")).AssertFailedWithOneLine();

        Assert.Equal("lazyaf: no repo named 'nope' (lazyaf repos lists them)", line);
    }

    [Fact]
    public async Task Land_outside_a_clone_or_without_the_remote_fails_with_one_line()
    {
        var clone = await TestGit.InitAsync(Work.Combine("app"));

        Assert.Equal($"lazyaf: {Work.Path} is not a git repository", (await Cli.RunAsync(Work.Path, "land", "app")).AssertFailedWithOneLine());
        Assert.Equal($"lazyaf: {clone} has no remote named 'origin'", (await Cli.RunAsync(clone, "land", "app")).AssertFailedWithOneLine());
    }

    [Theory]
    [InlineData("repos")]
    [InlineData("ingest", ".")]
    [InlineData("branches", "app")]
    public async Task Unreachable_server_fails_with_one_line(params string[] args)
    {
        await TestGit.InitAsync(Work.Combine("app"));
        var closed = $"http://127.0.0.1:{ClosedPort()}";

        var line = (await new LazyafCli(closed).RunAsync(Work.Combine("app"), args)).AssertFailedWithOneLine();

        Assert.Equal($"lazyaf: cannot reach LazyAF at {closed} (is it running?)", line);
    }

    [Fact]
    public async Task Server_option_wins_over_the_environment_and_a_bad_url_fails_with_one_line()
    {
        var cli = new LazyafCli($"http://127.0.0.1:{ClosedPort()}", new Dictionary<string, string> { ["LAZYAF_DATA_DIR"] = Host.DataDir });

        (await cli.RunAsync(Work.Path, "repos", "--server", Host.BaseUrl)).AssertSucceeded();
        var line = (await cli.RunAsync(Work.Path, "--server", "ftp://example.test", "repos")).AssertFailedWithOneLine();

        Assert.Equal("lazyaf: 'ftp://example.test' is not an http(s) URL for the LazyAF server (from --server or $LAZYAF_SERVER)", line);
    }

    /// <summary>A loopback port nothing listens on: bound once to get a free number, then released.</summary>
    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
