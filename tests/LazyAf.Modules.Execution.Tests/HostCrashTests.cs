using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>The host as its own process, killed with SIGKILL mid-step and started again on the same data.</summary>
public sealed class HostCrashTests : IDisposable
{
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();

    public void Dispose()
    {
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_script_step_running_when_the_host_is_killed_ends_failed_host_restarted_and_its_card_follows()
    {
        var port = HostProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        string cardId, executionId;
        await using (var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]))
        {
            await host.WaitForAsync($"{url}/health");
            var repo = (await ProcessHostRepos.CreateAsync(api, url, _work, "crash")).Id;
            (cardId, executionId) = await CardRuns.StartCardAsync(api, repo, new { title = "Long", step_type = "script", step_config = new { command = "sleep 30" } });
            await CardRuns.WaitForStateAsync(api, executionId, "running");

            await host.CrashAsync();
        }

        await using var restarted = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await restarted.WaitForAsync($"{url}/health");

        await CardRuns.WaitForStateAsync(api, executionId, "failed");
        var execution = await (await api.GetAsync($"/api/executions/{executionId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("host restarted", execution.Str("error"));
        // Its log does not just stop: its last line says why.
        var log = await api.GetStringAsync($"/api/executions/{executionId}/logs");
        var last = JsonDocument.Parse(log.TrimEnd().Split('\n')[^1]).RootElement;
        Assert.Equal(("system", "[LazyAF: the step ended without its result: host restarted]"), (last.Str("stream"), last.Str("text").Trim()));
        await Eventually.HoldsAsync(() => CardStatusOf(api, cardId) == "failed", () => CardStatusOf(api, cardId), TimeSpan.FromSeconds(30));
    }

    [Theory]
    [InlineData("Auto")]
    [InlineData("ProcessGroup")]
    public async Task After_a_host_killed_mid_step_restarts_no_process_of_the_step_is_alive_before_it_is_marked(string containment)
    {
        var port = HostProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        var environment = new Dictionary<string, string> { ["Execution__Containment"] = containment };
        var pids = _work.Combine("pids");
        string executionId;
        int[] left;
        await using (var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path], environment))
        {
            await host.WaitForAsync($"{url}/health");
            var repo = (await ProcessHostRepos.CreateAsync(api, url, _work, "crash-orphans")).Id;
            // A double-forked sleep (its parent exits, so it belongs to no tree of the step's) and one that also left the session.
            var command = $"(sleep 300 > /dev/null 2>&1 & echo $! >> {pids}); (setsid sleep 300 > /dev/null 2>&1 & echo $! >> {pids}); sleep 300";
            (_, executionId) = await CardRuns.StartCardAsync(api, repo, new { title = "Orphans", step_type = "script", step_config = new { command } });
            await Eventually.HoldsAsync(() => Pids(pids).Length == 2 && Pids(pids).All(IsAlive), () => $"pids: {string.Join(' ', Pids(pids))}", TimeSpan.FromSeconds(30));

            await host.CrashAsync();
            left = Pids(pids);
        }
        // Nothing killed them with the host: without the restart's sweep they would run on (and could still push).
        Assert.All(left, pid => Assert.True(IsAlive(pid), $"{pid} died with the host"));

        await using var restarted = HostProcess.Start(["--urls", url, "--data-dir", _data.Path], environment);
        await restarted.WaitForAsync($"{url}/health");
        await CardRuns.WaitForStateAsync(api, executionId, "failed");

        // Marked only after the sweep: by the time the execution reads failed, its processes are gone.
        Assert.All(left, pid => Assert.False(IsAlive(pid), $"{pid} still runs after the restart"));
        var execution = await (await api.GetAsync($"/api/executions/{executionId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("host restarted", execution.Str("error"));
        // The host's log says it in that order, too.
        var killed = await restarted.WaitForLogAsync(new Regex($"Killed what was left running of execution \\W?{executionId}"));
        var marked = await restarted.WaitForLogAsync(new Regex($"Execution \\W?{executionId}\\W? was \\w+ when the host stopped; marked failed"));
        var log = restarted.Log;
        Assert.True(log.IndexOf(killed.Value, StringComparison.Ordinal) < log.IndexOf(marked.Value, StringComparison.Ordinal), log);
    }

    private static int[] Pids(string file) =>
        File.Exists(file) ? [.. File.ReadAllLines(file).Where(l => l.Length > 0).Select(l => int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))] : [];

    // A zombie (killed, not yet reaped by an init) is dead: it runs nothing and can be signalled no more.
    private static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Theory]
    [InlineData(3, "failed", false)]
    [InlineData(0, "in_review", false)]
    [InlineData(0, "in_review", true)]
    public async Task A_docker_step_running_when_the_host_is_killed_or_stopped_ends_with_the_containers_exit_code_and_its_work_pushed(int exitCode, string cardStatus, bool graceful)
    {
        var port = HostProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        string repo, cardId, executionId;
        await using (var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]))
        {
            await host.WaitForAsync($"{url}/health");
            repo = (await ProcessHostRepos.CreateAsync(api, url, _work, "crash-docker")).Id;
            (cardId, executionId) = await CardRuns.StartCardAsync(api, repo, new
            {
                title = "Outlives the host",
                step_type = "docker",
                step_config = new { image = "lazyaf/busybox:test", command = $"echo before; sleep 4; echo done > done.txt; echo after; exit {exitCode}", commit = true },
            });
            await CardRuns.WaitForStateAsync(api, executionId, "running");
            // The container has started once its first line is stored as its output. Not just any line: the runner's
            // own "$ docker run … echo before …" line comes before the container even exists, and a host killed then
            // rightly ends the execution "host restarted".
            await Eventually.HoldsAsync(() => StdoutOf(api, executionId).Contains("before", StringComparison.Ordinal), () => LogsOf(api, executionId), TimeSpan.FromSeconds(30));

            if (!graceful)
            {
                await host.CrashAsync();
            }
            else
            {
                // A graceful stop leaves the container running (as a crash would), instead of killing work a restart could follow.
                var (code, stderr, _) = await host.TerminateAsync();
                Assert.True(code == 0, $"exit {code}: {stderr}");
                Assert.Single(await DockerContainersOfAsync(executionId, running: true));
            }
        }

        await using var restarted = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await restarted.WaitForAsync($"{url}/health");

        var expected = exitCode == 0 ? "succeeded" : "failed";
        try
        {
            await CardRuns.WaitForStateAsync(api, executionId, expected);
        }
        catch (TimeoutException)
        {
            await restarted.DisposeAsync();
            throw new TimeoutException($"The restarted host did not finish the execution as {expected}. Its log:\n{restarted.Log}");
        }
        var execution = await (await api.GetAsync($"/api/executions/{executionId}")).JsonAsync(HttpStatusCode.OK);
        Assert.NotEqual("host restarted", execution.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null);
        Assert.Equal(exitCode, execution.GetProperty("exit_code").GetInt32());
        await Eventually.HoldsAsync(() => CardStatusOf(api, cardId) == cardStatus, () => CardStatusOf(api, cardId), TimeSpan.FromSeconds(30));

        var branch = (await api.GetFromJsonAsync<JsonElement>($"/api/cards/{cardId}")).Str("branch_name");
        var clone = _work.Combine("clone");
        await TestGit.RunAsync(_work.Path, "clone", "--quiet", $"{url}/git/{repo}.git", clone);
        Assert.Equal("done", (await TestGit.RunAsync(clone, "show", $"origin/{branch}:done.txt")).Trim());
        var logs = await (await api.GetAsync($"/api/executions/{executionId}/logs")).Content.ReadAsStringAsync();
        var lines = logs.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        // The resumed run continues the dead one's sequence: no gaps, no repeats.
        Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), lines.Select(l => l.GetProperty("seq").GetInt64()));
        var text = string.Concat(lines.Select(l => l.Str("text")));
        Assert.Contains("re-attached after a restart; the step exited " + exitCode, text, StringComparison.Ordinal);
        Assert.Contains("after\n", text, StringComparison.Ordinal);
        if (graceful)
            Assert.Contains("the host is stopping: the container runs on", text, StringComparison.Ordinal);
        Assert.Empty(await DockerContainersOfAsync(executionId));
    }

    private static async Task<string[]> DockerContainersOfAsync(string executionId, bool running = false)
    {
        var start = new System.Diagnostics.ProcessStartInfo("docker", ["ps", .. running ? Array.Empty<string>() : ["-a"], "-q", "--filter", $"label=lazyaf.execution={executionId}"]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    private static string LogsOf(HttpClient api, string executionId) =>
        api.GetStringAsync($"/api/executions/{executionId}/logs").GetAwaiter().GetResult();

    private static string StdoutOf(HttpClient api, string executionId) =>
        string.Concat(LogsOf(api, executionId).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(l => l.Str("stream") == "stdout")
            .Select(l => l.Str("text")));

    private static string CardStatusOf(HttpClient api, string cardId) =>
        api.GetFromJsonAsync<JsonElement>($"/api/cards/{cardId}").GetAwaiter().GetResult().Str("status");
}
