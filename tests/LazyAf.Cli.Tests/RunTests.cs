using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// <c>lazyaf card start/retry</c> and <c>lazyaf logs</c> against a real host that runs script steps (it clones
/// the repo from its own git server, so each repo gets a commit on main first).
/// </summary>
public sealed class RunTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Unknown = "0123456789abcdef0123456789abcdef";

    private readonly TempDir _work = new();
    private readonly LazyAfHost _host = fixture.Host;
    private readonly LazyafCli _cli = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Start_follow_streams_stdout_and_stderr_apart_until_review_and_logs_replays_the_same_output()
    {
        var card = await CreateScriptCardAsync("echo hello; echo oops >&2");

        var start = (await _cli.RunAsync(_work.Path, "card", "start", card, "-f")).AssertExitedZero();

        var lines = Lines(start.Output);
        var execution = lines[0];
        Assert.Matches("^[0-9a-f]{32}$", execution);
        Assert.Matches($"^Started card {card}: attempt 1 on branch lazyaf/card-[0-9a-z]+$", lines[1]);
        Assert.Contains("hello", lines);
        Assert.Equal($"Card {card} is in_review: step succeeded", lines[^1]);
        Assert.Equal("oops\n", start.Error);
        Assert.Equal("in_review", (await GetAsync($"/api/cards/{card}")).GetProperty("status").GetString());

        var logs = await _cli.RunAsync(_work.Path, "logs", execution);
        var followed = await _cli.RunAsync(_work.Path, "logs", execution, "--follow");

        Assert.Equal((0, start.Error), (logs.ExitCode, logs.Error));
        Assert.Equal(start.Output, $"{lines[0]}\n{lines[1]}\n{logs.Output}{lines[^1]}\n");
        Assert.Equal((0, logs.Output, $"oops\nexecution {execution} succeeded\n"), (followed.ExitCode, followed.Output, followed.Error));
    }

    [Fact]
    public async Task Logs_after_a_seq_prints_only_what_came_after_it()
    {
        var card = await CreateScriptCardAsync("echo hello; echo oops >&2");
        var execution = Lines((await _cli.RunAsync(_work.Path, "card", "start", card, "-f")).AssertExitedZero().Output)[0];
        var chunks = (await _host.Client.GetStringAsync($"/api/executions/{execution}/logs"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<JsonElement>(line))
            .ToList();
        var hello = chunks.Single(c => c.GetProperty("stream").GetString() == "stdout" && c.GetProperty("text").GetString()!.Contains("hello", StringComparison.Ordinal))
            .GetProperty("seq").GetInt64();

        var after = await _cli.RunAsync(_work.Path, "logs", execution, "--after", hello.ToString(CultureInfo.InvariantCulture));

        string Text(Func<string, bool> stream) => string.Concat(chunks
            .Where(c => c.GetProperty("seq").GetInt64() > hello && stream(c.GetProperty("stream").GetString()!))
            .Select(c => c.GetProperty("text").GetString()));
        Assert.Equal((0, Text(s => s != "stderr"), Text(s => s == "stderr")), (after.ExitCode, after.Output, after.Error));
        Assert.DoesNotContain("hello", Lines(after.Output));
        Assert.NotEmpty(after.Output);
    }

    [Fact]
    public async Task Start_follow_of_a_failing_script_exits_1_with_one_line_and_retry_opens_a_second_attempt()
    {
        var card = await CreateScriptCardAsync("exit 3");

        var start = await _cli.RunAsync(_work.Path, "card", "start", card, "--follow");

        Assert.Equal($"lazyaf: card {card} failed: exit code 3", start.AssertFailedWithOneLine());
        var execution = Lines(start.Output)[0];
        Assert.Equal("failed", (await GetAsync($"/api/cards/{card}")).GetProperty("status").GetString());
        Assert.Equal($"lazyaf: execution {execution} ended failed: exit code 3", (await _cli.RunAsync(_work.Path, "logs", execution, "-f")).AssertFailedWithOneLine());

        var retry = Lines((await _cli.RunAsync(_work.Path, "card", "retry", card)).AssertSucceeded().Output);

        var attempt = (await GetAsync($"/api/cards/{card}")).GetProperty("attempts")[1];
        Assert.Equal(attempt.Str("execution_id"), retry[0]);
        Assert.Equal($"Retrying card {card}: attempt 2 on branch {attempt.Str("branch")} (follow with: lazyaf logs {retry[0]} -f)", retry[1]);
    }

    [Theory]
    [InlineData]
    [InlineData("-f")]
    public async Task Logs_of_an_unknown_execution_fail_with_one_line(params string[] follow)
    {
        Assert.Equal($"lazyaf: no execution '{Unknown}'", (await _cli.RunAsync(_work.Path, ["logs", Unknown, .. follow])).AssertFailedWithOneLine());
        Assert.Equal("lazyaf: no execution 'not an id'", (await _cli.RunAsync(_work.Path, ["logs", "not an id", .. follow])).AssertFailedWithOneLine());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("x")]
    [InlineData("1.5")]
    public async Task Logs_after_a_negative_or_non_numeric_seq_is_a_usage_error(string seq)
    {
        var result = await _cli.RunAsync(_work.Path, "logs", Unknown, "--after", seq);

        Assert.Equal("lazyaf: --after takes the seq of the last output you have: a whole number, 0 or more (see: lazyaf logs --help)",
            result.AssertFailedWithOneLine(exitCode: 2));
    }

    /// <summary>A script card in a new repo with a commit on main; returns the id <c>card create</c> printed first.</summary>
    private async Task<string> CreateScriptCardAsync(string script)
    {
        var name = "r" + Guid.NewGuid().ToString("N")[..10];
        await SeededRepo.CreateAsync(_host, _work, name);
        var created = (await _cli.RunAsync(_work.Path, "card", "create", name, "--title", "Say hello", "--script", script)).AssertSucceeded();
        return Lines(created.Output)[0];
    }

    private Task<JsonElement> GetAsync(string path) => _host.Client.GetFromJsonAsync<JsonElement>(path, LazyAfHost.Json);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
