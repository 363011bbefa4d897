using System.Net;
using System.Text.Json;
using Xunit;

namespace LazyAf.Testing;

/// <summary>
/// A debug re-run whose steps run on a remote runner (both agents' tests drive it): pipeline <c>remote-debug</c>
/// (build → test, both requiring the runner's label; test has the secret <see cref="SecretName"/>) has passed once; its
/// debug re-run pauses before <c>test</c>.
/// </summary>
public sealed class RemoteDebugRun(LazyAfHost host, SeededRepo repo, string runId)
{
    public const string SecretName = "DEBUG_TOKEN";
    private const string Secret = "remote-debug-secret-value";

    public LazyAfHost Host => host;

    public SeededRepo Repo => repo;

    /// <summary>The debug re-run, paused before <c>test</c>.</summary>
    public string RunId => runId;

    public PipelineRuns Runs => new(host);

    /// <summary>
    /// Commits the pipeline (its steps require <paramref name="label"/>; with <paramref name="image"/>, docker steps in
    /// containers of it), runs it to passed, and starts its debug re-run; returns once it is paused.
    /// </summary>
    public static async Task<RemoteDebugRun> StartAsync(LazyAfHost host, SeededRepo repo, string label, string? image = null)
    {
        var kind = image is null ? "" : "type: docker";
        var imageField = image is null ? "" : $"image: \"{image}\", ";
        await repo.CommitAsync("marker.txt", "in the repo\n", "a file to find");
        await (await host.Client.PutJsonAsync($"/api/repos/{repo.Id}/secrets/{SecretName}", new { value = Secret })).JsonAsync(HttpStatusCode.NoContent);
        await PipelineRuns.CommitPipelineAsync(repo, "remote-debug", $$"""
            name: remote-debug
            env: {FOO: from-the-pipeline}
            steps:
              - id: build
                {{kind}}
                requires: [{{label}}]
                config: {{{imageField}}command: "echo built > built.txt; echo built.txt >> .git/info/exclude"}
              - id: test
                {{kind}}
                needs: [build]
                requires: [{{label}}]
                config: {{{imageField}}secrets: [{{SecretName}}], command: "echo testing $FOO; test -e built.txt"}
            """);
        var runs = new PipelineRuns(host);
        var original = await runs.RunAsync(repo.Id, "remote-debug");
        var passed = await runs.SettledAsync(original);
        Assert.True(passed.Str("state") == "passed", passed.ToString());
        var rerun = await (await host.Client.PostJsonAsync($"/api/pipeline-runs/{original}/debug-rerun", new { breakpoints = new[] { "test" } })).JsonAsync(HttpStatusCode.Created);
        var runId = rerun.Str("run_id");
        await Eventually.ValueAsync(() => runs.RunStateAsync(runId), r => r.Str("state") == "paused", TimeSpan.FromSeconds(90));
        return new RemoteDebugRun(host, repo, runId);
    }

    /// <summary>The session the pause opened, once it is in <paramref name="state"/>.</summary>
    public async Task<JsonElement> SessionAsync(string state = "waiting") =>
        (await Eventually.ValueAsync(
            async () => (await (await host.Client.GetAsync($"/api/debug?run_id={runId}")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToArray(),
            s => s.Length == 1 && s[0].Str("state") == state, TimeSpan.FromSeconds(30)))[0];

    /// <summary>
    /// Acceptance: the terminal is a shell on the runner in the run's workspace there (in <paramref name="directory"/> or
    /// under it, with what <c>build</c> left), with the step's variables and its secret masked; it takes a resize; a command
    /// run with <c>exec</c> runs in the same place (and is killed at its timeout); resuming runs <c>test</c> to passed.
    /// </summary>
    public async Task ShellOnTheRunnerThenResumeAsync(string directory)
    {
        var session = (await SessionAsync()).Str("id");
        using (var socket = await TerminalSocket.ConnectAsync(host, await TerminalSocket.TokenUrlAsync(host, session)))
        {
            // Resized once the shell is up: a docker step's shell is a container's, sized when it starts and resized after.
            await TerminalSocket.SendAsync(socket, new { type = "input", data = "echo up-$((40+2))\n" });
            await TerminalSocket.ReadUntilAsync(socket, "up-42");
            await TerminalSocket.SendAsync(socket, new { type = "resize", cols = 111, rows = 33 });
            // docker's CLI passes the new size on to the container when it gets SIGWINCH, a moment after the resize here.
            await TerminalSocket.SendAsync(socket, new { type = "input", data = "until [ \"$(stty size)\" = \"33 111\" ]; do sleep 0.1; done; echo resized-$((1+1))\n" });
            await TerminalSocket.ReadUntilAsync(socket, "resized-2");
            await TerminalSocket.SendAsync(socket, new { type = "input", data = $"ls; echo \"step=$LAZYAF_STEP\"; echo \"dir=$(pwd)\"; echo \"foo=$FOO\"; echo \"token=${SecretName}\"; stty size; exit 4\n" });
            var (output, end) = await TerminalSocket.ReadToEndAsync(socket);
            Assert.Contains("token=***", output, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);

            Assert.Contains("marker.txt", output, StringComparison.Ordinal);
            Assert.Contains("built.txt", output, StringComparison.Ordinal);
            Assert.Contains("step=test", output, StringComparison.Ordinal);
            Assert.Contains("foo=from-the-pipeline", output, StringComparison.Ordinal);
            Assert.True(output.Contains("33 111", StringComparison.Ordinal), $"stty size did not see the resize:\n{output}");
            var dir = output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("dir=/", StringComparison.Ordinal))[4..];
            Assert.StartsWith(directory, dir, StringComparison.Ordinal);
            Assert.Equal("exit", end.Str("type"));
            Assert.Equal(4, end.GetProperty("code").GetInt32());
        }
        await ExecOnTheRunnerAsync(session, directory);
        await (await host.Client.PostAsync($"/api/debug/{session}/resume", null)).JsonAsync(HttpStatusCode.OK);
        var run = await Runs.SettledAsync(runId);
        Assert.True(run.Str("state") == "passed", run.ToString());
        Assert.Contains("testing from-the-pipeline", await Runs.LogsAsync(runId, "test"), StringComparison.Ordinal);
    }

    /// <summary>
    /// The sidecar terminal of the paused session on the runner: at <paramref name="directory"/> (or under it) with what
    /// <c>build</c> left, none of the step's variables or its secret, and, when given, <paramref name="marker"/>'s file
    /// (the sidecar image's) saying <paramref name="markerText"/>. The session stays paused.
    /// </summary>
    public async Task SidecarOnTheRunnerAsync(string directory, string? marker = null, string? markerText = null)
    {
        var session = (await SessionAsync()).Str("id");
        using (var socket = await TerminalSocket.ConnectAsync(host, await TerminalSocket.TokenUrlAsync(host, session) + "&mode=sidecar"))
        {
            var cat = marker is null ? "" : $"cat {marker}; ";
            await TerminalSocket.SendAsync(socket, new { type = "input", data = $"ls; {cat}echo \"[$LAZYAF_STEP][$FOO][${SecretName}][$LAZYAF_DEBUG]\"; echo \"dir=$(pwd)\"; exit 5\n" });
            var (output, end) = await TerminalSocket.ReadToEndAsync(socket);

            Assert.Contains("marker.txt", output, StringComparison.Ordinal);
            Assert.Contains("built.txt", output, StringComparison.Ordinal);
            Assert.Contains("[][][][sidecar]", output, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
            if (markerText is not null)
                Assert.Contains(markerText, output, StringComparison.Ordinal);
            Assert.StartsWith(directory, output.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("dir=/", StringComparison.Ordinal))[4..], StringComparison.Ordinal);
            Assert.Equal(5, end.GetProperty("code").GetInt32());
        }
        // Its end lets the session go back to waiting for the next terminal.
        await Eventually.ValueAsync(async () => (await (await host.Client.GetAsync($"/api/debug/{session}")).JsonAsync(HttpStatusCode.OK)).Str("state"), s => s == "waiting", TimeSpan.FromSeconds(30));
    }

    // exec: the same place and variables as the shell, the secret masked, the exit code; a timeout answered at once.
    private async Task ExecOnTheRunnerAsync(string session, string directory)
    {
        var ran = await (await host.Client.PostJsonAsync($"/api/debug/{session}/exec",
            new { command = $"ls; echo \"step=$LAZYAF_STEP token=${SecretName}\"; echo \"dir=$(pwd)\"; test -e no-such-file" })).JsonAsync(HttpStatusCode.OK);
        var output = ran.Str("output");
        Assert.True(ran.GetProperty("exit_code").GetInt32() == 1, ran.ToString());
        Assert.Contains("built.txt", output, StringComparison.Ordinal);
        Assert.Contains("step=test token=***", output, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        Assert.StartsWith(directory, output.Split('\n').Single(l => l.StartsWith("dir=/", StringComparison.Ordinal))[4..], StringComparison.Ordinal);

        var started = System.Diagnostics.Stopwatch.StartNew();
        var slow = await (await host.Client.PostJsonAsync($"/api/debug/{session}/exec", new { command = "echo sleeping; sleep 30", timeout_seconds = 2 })).JsonAsync(HttpStatusCode.OK);
        Assert.True(slow.GetProperty("timed_out").GetBoolean(), slow.ToString());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(15), $"answered after {started.Elapsed}");
    }
}
