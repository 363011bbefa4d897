using System.Globalization;
using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// Stopping a follow (<c>-f</c>) with Ctrl-C — the cancellation the CLI's console handler makes of it — leaves the work running
/// and says the one command that stops it; <c>logs --seq</c> shows the seqs that <c>--after</c> takes.
/// </summary>
public sealed class FollowInterruptTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly LazyAfHost _host = fixture.Host;
    private readonly LazyafCli _cli = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Ctrl_c_on_logs_follow_says_how_to_cancel_the_execution_which_keeps_running()
    {
        var card = await ScriptCardAsync("echo started; sleep 300");
        var execution = Lines((await _cli.RunAsync(_work.Path, "card", "start", card)).AssertSucceeded().Output)[0];
        await UntilRunningAsync($"/api/executions/{execution}", e => e.Str("state"));

        var stopped = await FollowUntilInterruptedAsync("logs", execution, "-f");

        Assert.Equal($"lazyaf: stopped following; execution {execution} keeps running in LazyAF (stop it with: lazyaf execution cancel {execution})",
            stopped.AssertFailedWithOneLine());
        Assert.Equal("running", (await GetAsync($"/api/executions/{execution}")).Str("state"));
        (await _cli.RunAsync(_work.Path, "execution", "cancel", execution)).AssertSucceeded();
    }

    [Fact]
    public async Task Ctrl_c_on_pipeline_run_follow_says_how_to_cancel_the_run()
    {
        var repo = await SeededAsync();
        await (await _host.Client.PostJsonAsync($"/api/repos/{repo.Id}/pipelines",
            new { yaml = "name: slow\nsteps:\n  - id: wait\n    config: {command: \"echo waiting; sleep 300\"}\n" })).JsonAsync(HttpStatusCode.Created);

        using var interrupt = new CancellationTokenSource();
        var following = _cli.RunAsync(_work.Path, ["pipeline", "run", repo.Name, "slow", "-f"], interrupt.Token);
        var run = await Eventually.ValueAsync(async () => (await GetAsync($"/api/pipeline-runs?repo_id={repo.Id}")).EnumerateArray().ToArray(),
            runs => runs.Length == 1 && runs[0].GetProperty("steps")[0].Str("state") == "running");
        var runId = run[0].Str("id");
        await interrupt.CancelAsync();
        var stopped = await following;

        Assert.Equal($"lazyaf: stopped following; run {runId} keeps running in LazyAF (stop it with: lazyaf run cancel {runId})", stopped.AssertFailedWithOneLine());
        Assert.Equal("running", (await GetAsync($"/api/pipeline-runs/{runId}")).Str("state"));
        (await _cli.RunAsync(_work.Path, "run", "cancel", runId)).AssertSucceeded();
    }

    [Fact]
    public async Task Logs_seq_marks_each_chunk_with_the_seq_that_after_takes()
    {
        var card = await ScriptCardAsync("echo one; echo two >&2");
        var execution = Lines((await _cli.RunAsync(_work.Path, "card", "start", card, "-f")).AssertExitedZero().Output)[0];

        var all = Lines((await _cli.RunAsync(_work.Path, "logs", execution, "--seq")).AssertSucceeded().Output);

        var one = all.Single(l => l.EndsWith(" stdout one", StringComparison.Ordinal));
        var two = all.Single(l => l.EndsWith(" stderr two", StringComparison.Ordinal));
        var seqOfOne = long.Parse(one.Split(' ')[0], CultureInfo.InvariantCulture);
        Assert.True(seqOfOne < long.Parse(two.Split(' ')[0], CultureInfo.InvariantCulture));
        var after = Lines((await _cli.RunAsync(_work.Path, "logs", execution, "--seq", "--after", one.Split(' ')[0])).AssertSucceeded().Output);
        Assert.DoesNotContain(one, after);
        Assert.Contains(two, after);
        Assert.All(all, l => Assert.Matches(@"^\d+ (stdout|stderr|system|agent) ", l));
    }

    /// <summary>Follows until the first output has arrived (so the CLI is streaming), then interrupts it as Ctrl-C does.</summary>
    private async Task<CliResult> FollowUntilInterruptedAsync(params string[] args)
    {
        using var interrupt = new CancellationTokenSource();
        var following = _cli.RunAsync(_work.Path, args, interrupt.Token);
        // The step printed "started" before it was running; the follow has it once it streams, which is when Ctrl-C matters.
        await Eventually.HoldsAsync(async () => (await _host.Client.GetStringAsync($"/api/executions/{args[1]}/logs")).Contains("started", StringComparison.Ordinal),
            async () => await _host.Client.GetStringAsync($"/api/executions/{args[1]}/logs"));
        await interrupt.CancelAsync();
        return await following;
    }

    private async Task UntilRunningAsync(string path, Func<JsonElement, string> state) =>
        await Eventually.HoldsAsync(async () => state(await GetAsync(path)) == "running", async () => (await GetAsync(path)).ToString(), TimeSpan.FromSeconds(60));

    private async Task<(string Id, string Name)> SeededAsync()
    {
        var name = "r" + Guid.NewGuid().ToString("N")[..10];
        return ((await SeededRepo.CreateAsync(_host, _work, name)).Id, name);
    }

    private async Task<string> ScriptCardAsync(string script)
    {
        var repo = await SeededAsync();
        return Lines((await _cli.RunAsync(_work.Path, "card", "create", repo.Name, "--title", "Script", "--script", script)).AssertSucceeded().Output)[0];
    }

    private async Task<JsonElement> GetAsync(string path) => await (await _host.Client.GetAsync(path)).JsonAsync(HttpStatusCode.OK);

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
