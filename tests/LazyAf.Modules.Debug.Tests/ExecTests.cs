using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

/// <summary>
/// <c>POST /api/debug/{sid}/exec</c> on a real host: one command in what a failed step left, with its variables and its
/// secrets masked; its timeout, output cap and bad inputs.
/// </summary>
public sealed class ExecTests : HostPerTest
{
    internal const string Secret = "s3cr3t-debug-token-value";

    /// <summary>
    /// Step test leaves <c>leftover.txt</c> and runs the repo's <c>check.sh</c>, which fails (exit 4) while
    /// <c>answer.txt</c> is missing; the step has the secret <c>API_TOKEN</c>.
    /// </summary>
    internal const string CheckingPipeline = """
        name: app
        env: {FOO: from-the-pipeline}
        steps:
          - id: test
            config: {secrets: [API_TOKEN], command: "echo left-by-test > leftover.txt; sh check.sh"}
          - id: deploy
            needs: [test]
            config: {command: "echo deployed"}
        """;

    private const string Check = """
        echo "checking answer.txt"
        test -f answer.txt || { echo "FAIL: answer.txt is missing" >&2; exit 4; }
        """;

    /// <summary>A debug bench of <see cref="CheckingPipeline"/> whose first run failed.</summary>
    internal static Task<DebugBench> FailingCheckAsync(LazyAfHost host, TempDir work, string name) =>
        DebugBench.CreateAsync(host, work, name, CheckingPipeline, "failed", async repo =>
        {
            await repo.CommitAsync("check.sh", Check + "\n", "the failing test");
            await (await host.Client.PutJsonAsync($"/api/repos/{repo.Id}/secrets/API_TOKEN", new { value = Secret })).JsonAsync(HttpStatusCode.NoContent);
        });

    [Fact]
    public async Task Exec_runs_the_failing_test_where_the_failed_step_left_its_files_and_mark_passed_lets_the_run_go_on()
    {
        var bench = await FailingCheckAsync(Host, Work, "exec");
        var runId = await bench.RerunPausingOnFailureAsync();
        var sid = (await bench.SessionAsync(runId)).Str("id");

        var check = await ExecAsync(sid, new { command = "sh check.sh" });
        Assert.Equal(4, check.GetProperty("exit_code").GetInt32());
        Assert.Contains("checking answer.txt\nFAIL: answer.txt is missing", check.Str("output"), StringComparison.Ordinal);
        Assert.False(check.GetProperty("truncated").GetBoolean());
        Assert.False(check.GetProperty("timed_out").GetBoolean());
        // An open terminal does not stop a command beside it, nor does the command change the session.
        using (var socket = await TerminalSocket.ConnectAsync(Host, await TerminalSocket.TokenUrlAsync(Host, sid)))
        {
            var files = await ExecAsync(sid, new { command = "cat leftover.txt; echo \"foo=$FOO step=$LAZYAF_STEP\"; echo \"token=$API_TOKEN\"" });
            Assert.Equal(0, files.GetProperty("exit_code").GetInt32());
            Assert.Contains("left-by-test", files.Str("output"), StringComparison.Ordinal);
            Assert.Contains("foo=from-the-pipeline step=test", files.Str("output"), StringComparison.Ordinal);
            Assert.Contains("token=***", files.Str("output"), StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, files.Str("output"), StringComparison.Ordinal);
            Assert.Equal("connected", (await bench.GetSessionAsync(sid)).Str("state"));
            await TerminalSocket.SendAsync(socket, new { type = "input", data = "echo \"token=$API_TOKEN\"; exit\n" });
            var (output, _) = await TerminalSocket.ReadToEndAsync(socket);
            Assert.Contains("token=***", output, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        }

        await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/mark", new { outcome = "passed" })).JsonAsync(HttpStatusCode.OK);
        var run = await bench.Runs.SettledAsync(runId);
        Assert.Equal("passed", run.Str("state"));
        Assert.Contains("deployed", await bench.Runs.LogsAsync(runId, "deploy"), StringComparison.Ordinal);
        var over = await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/exec", new { command = "true" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ended", over.Str("current_state"));
    }

    [Fact]
    public async Task A_command_past_its_timeout_is_killed_and_answered_at_once_and_long_output_keeps_its_tail()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "timeout");
        var runId = await bench.RerunAsync("test");
        var sid = (await bench.SessionAsync(runId)).Str("id");

        var started = Stopwatch.StartNew();
        var slow = await ExecAsync(sid, new { command = "sleep 30 & echo $! > sleep.pid; echo sleeping; wait", timeout_seconds = 1 });
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(10), $"answered after {started.Elapsed}");
        Assert.True(slow.GetProperty("timed_out").GetBoolean());
        Assert.Equal(JsonValueKind.Null, slow.GetProperty("exit_code").ValueKind);
        Assert.Contains("sleeping", slow.Str("output"), StringComparison.Ordinal);
        // The sleep was in the command's process group: it is gone too.
        await Eventually.HoldsAsync(async () => (await ExecAsync(sid, new { command = "s=$(grep State /proc/$(cat sleep.pid)/status 2>/dev/null); case \"$s\" in ''|*zombie*) echo gone;; *) echo alive;; esac" })).Str("output").Contains("gone", StringComparison.Ordinal),
            () => Task.FromResult("the timed-out command's sleep still runs"));

        var large = await ExecAsync(sid, new { command = "head -c 200000 /dev/zero | tr '\\0' a; echo; echo the-end" });
        Assert.True(large.GetProperty("truncated").GetBoolean());
        Assert.Equal(0, large.GetProperty("exit_code").GetInt32());
        Assert.InRange(large.Str("output").Length, 60 * 1024, 64 * 1024);
        Assert.EndsWith("a\nthe-end\n", large.Str("output"), StringComparison.Ordinal);

        await (await Host.Client.PostAsync($"/api/debug/{sid}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }

    [Fact]
    public async Task Exec_refuses_an_empty_command_a_timeout_out_of_range_and_an_unknown_session()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "bad");
        var runId = await bench.RerunAsync("test");
        var sid = (await bench.SessionAsync(runId)).Str("id");

        foreach (var body in new object[] { new { command = "" }, new { command = "  " }, new { timeout_seconds = 5 } })
            Assert.Contains("command", (await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/exec", body)).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
        foreach (var timeout in new[] { 0, 601 })
            Assert.Contains("timeout_seconds", (await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/exec", new { command = "true", timeout_seconds = timeout })).ProblemAsync(HttpStatusCode.BadRequest)).Str("detail"), StringComparison.Ordinal);
        await (await Host.Client.PostJsonAsync("/api/debug/01ARZ3NDEKTSV4RRFFQ69G5FAV/exec", new { command = "true" })).ProblemAsync(HttpStatusCode.NotFound);
        // None of them changed the session.
        Assert.Equal("waiting", (await bench.GetSessionAsync(sid)).Str("state"));
        await (await Host.Client.PostAsync($"/api/debug/{sid}/abort", null)).JsonAsync(HttpStatusCode.OK);
        await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/exec", new { command = "true" })).ProblemAsync(HttpStatusCode.Conflict);
    }

    private async Task<JsonElement> ExecAsync(string sid, object body) =>
        await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/exec", body)).JsonAsync(HttpStatusCode.OK);
}
