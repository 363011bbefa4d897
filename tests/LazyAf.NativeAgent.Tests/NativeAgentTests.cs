using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// The native agent as a real process against a real host over loopback gRPC: steps that require its labels land on
/// it and run end to end, tokens are checked, a killed agent's step fails "runner lost", and it drains.
/// </summary>
public sealed partial class NativeAgentTests : IAsyncLifetime
{
    private readonly TempDir _work = new("lazyaf-agent-test");
    private readonly List<AgentProcess> _agents = [];
    private RunnerHost _host = null!;

    public Task InitializeAsync()
    {
        _host = RunnerHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
            await agent.DisposeAsync();
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_card_that_requires_the_agents_label_runs_on_it_end_to_end_with_every_line_once_and_in_order()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "remote");
        StartAgent(await _host.RegistrationTokenAsync(), "pool=e2e", "agent-a");
        var runner = await _host.ConnectedRunnerAsync("pool=e2e");

        const int Lines = 3000;
        var execution = await _host.StartCardAsync(repo.Id, "script",
            new { command = $"for i in $(seq 1 {Lines}); do echo \"line $i\"; done; echo done > remote.txt", commit = true }, "pool=e2e");
        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed" or "cancelled");

        Assert.Equal("succeeded", ended.Str("state"));
        Assert.Equal(runner.Str("id"), ended.Str("runner"));
        var chunks = await _host.LogsAsync(execution);
        Assert.Equal(Enumerable.Range(1, chunks.Count).Select(i => (long)i), chunks.Select(c => c.Seq));
        var stdout = string.Concat(chunks.Where(c => c.Stream == "stdout").Select(c => c.Text)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => $"line {i}"), stdout);
        // The step's work reached the host's git server through its step token.
        Assert.NotNull(await repo.RemoteShaAsync(ended.Str("branch")));
        Assert.Equal(ended.Str("commit_sha"), await repo.RemoteShaAsync(ended.Str("branch")));
    }

    [Fact]
    public async Task On_the_agent_a_script_step_commits_only_its_commit_paths_and_without_commit_nothing_and_says_so()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "remote-commit");
        var main = await repo.RemoteShaAsync("main");
        StartAgent(await _host.RegistrationTokenAsync(), "pool=commit", "agent-commit");
        await _host.ConnectedRunnerAsync("pool=commit");
        const string Build = "cp /bin/true app && echo 'all good' > report.txt";

        var only = await _host.StartCardAsync(repo.Id, "script", new { command = Build, commit = new[] { "report.txt" } }, "pool=commit");
        var none = await _host.StartCardAsync(repo.Id, "script", new { command = Build }, "pool=commit");
        var committed = await _host.ExecutionWhenAsync(only, e => e.Str("state") is "succeeded" or "failed");
        var discarded = await _host.ExecutionWhenAsync(none, e => e.Str("state") is "succeeded" or "failed");

        Assert.Equal(("succeeded", "succeeded"), (committed.Str("state"), discarded.Str("state")));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("report.txt", await repo.GitAsync("diff", "--name-only", main!, $"origin/{committed.Str("branch")}"));
        Assert.Contains($"committed 1 file as {committed.Str("commit_sha")[..12]}: report.txt (1 file changed left out: app)",
            string.Concat((await _host.LogsAsync(only)).Select(c => c.Text)), StringComparison.Ordinal);
        Assert.Equal(main, await repo.RemoteShaAsync(discarded.Str("branch")));
        Assert.Contains("nothing committed: the step's commit is unset or false (2 files changed left out: app, report.txt)",
            string.Concat((await _host.LogsAsync(none)).Select(c => c.Text)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_registration_token_is_refused_and_the_agent_gets_no_job()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "refused");
        var waiting = await _host.StartScriptCardAsync(repo.Id, "echo never", "pool=refused");

        var agent = StartAgent("lzreg_0000000000000000000000000000000000000000000000000000000000000000", "pool=refused", "stranger");

        Assert.Equal(2, await agent.ExitCodeAsync());
        Assert.Contains("refused this runner", agent.Log, StringComparison.Ordinal);
        Assert.Empty(await _host.RunnersAsync());
        var execution = await _host.ExecutionAsync(waiting);
        Assert.Equal("pending", execution.Str("state"));
    }

    [Fact]
    public async Task A_revoked_runner_is_cut_off_and_cannot_come_back_with_its_credential()
    {
        var stateDir = _work.Combine("revoked-state");
        var agent = StartAgent(await _host.RegistrationTokenAsync(), "pool=revoked", "to-revoke", stateDir);
        var runner = await _host.ConnectedRunnerAsync("pool=revoked");

        using var revoked = await _host.Api.DeleteAsync($"/api/runners/{runner.Str("id")}");
        Assert.Equal(HttpStatusCode.NoContent, revoked.StatusCode);
        Assert.Equal(2, await agent.ExitCodeAsync());

        // Its saved credential no longer works, and a step it could run is not given to it.
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "revoked");
        var waiting = await _host.StartScriptCardAsync(repo.Id, "echo never", "pool=revoked");
        var again = StartAgent(null, "pool=revoked", "to-revoke", stateDir);
        Assert.Equal(2, await again.ExitCodeAsync());
        Assert.Contains("unknown runner or wrong credential", again.Log, StringComparison.Ordinal);
        Assert.Equal("pending", (await _host.ExecutionAsync(waiting)).Str("state"));
        using var gone = await _host.Api.GetAsync($"/api/runners/{runner.Str("id")}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        // Its life as /ws told it: registered, connected (idle), revoked.
        await using var live = await LiveClient.ConnectAsync(_host.Host, topics: $"runner:{runner.Str("id")}", after: 0);
        var seen = new List<string>();
        while (seen.LastOrDefault() != "revoked")
        {
            var message = await live.NextAsync();
            seen.Add(message.Str("type") == "runner.revoked" ? "revoked" : message.GetProperty("payload").Str("state"));
        }
        Assert.Equal(["disconnected", "idle", "revoked"], seen);
    }

    [Fact]
    public async Task An_agent_killed_mid_step_is_dead_within_20_seconds_and_its_step_fails_runner_lost()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "killed");
        var agent = StartAgent(await _host.RegistrationTokenAsync(), "pool=killed", "to-kill");
        var runner = await _host.ConnectedRunnerAsync("pool=killed");
        var execution = await _host.StartScriptCardAsync(repo.Id, "echo started; sleep 300", "pool=killed");
        await Eventually.HoldsAsync(async () => (await _host.LogsAsync(execution)).Any(c => c.Text.Contains("started", StringComparison.Ordinal)),
            async () => (await _host.ExecutionAsync(execution)).ToString(), TimeSpan.FromSeconds(60));

        var killed = Stopwatch.StartNew();
        agent.KillHard();
        var failed = await _host.ExecutionWhenAsync(execution, e => e.Str("state") != "running", TimeSpan.FromSeconds(30));
        killed.Stop();

        Assert.Equal("failed", failed.Str("state"));
        Assert.Equal("runner lost", failed.Str("error"));
        Assert.True(killed.Elapsed < TimeSpan.FromSeconds(20), $"runner lost after {killed.Elapsed}");
        var dead = await (await _host.Api.GetAsync($"/api/runners/{runner.Str("id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("dead", dead.Str("state"));
        Assert.Empty(dead.GetProperty("executions").EnumerateArray());
    }

    [Fact]
    public async Task A_drained_agent_finishes_its_step_takes_no_new_one_and_exits()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "drained");
        var agent = StartAgent(await _host.RegistrationTokenAsync(), "pool=drained", "to-drain");
        var runner = await _host.ConnectedRunnerAsync("pool=drained");
        var running = await _host.StartScriptCardAsync(repo.Id, "echo started; sleep 2; echo finished", "pool=drained");
        await _host.ExecutionWhenAsync(running, e => e.Str("state") == "running");

        using var drained = await _host.Api.PostAsync($"/api/runners/{runner.Str("id")}/drain", null);
        Assert.Equal(HttpStatusCode.Accepted, drained.StatusCode);
        var next = await _host.StartScriptCardAsync(repo.Id, "echo too late", "pool=drained");

        Assert.Equal(0, await agent.ExitCodeAsync());
        Assert.Equal("succeeded", (await _host.ExecutionAsync(running)).Str("state"));
        Assert.Equal("pending", (await _host.ExecutionAsync(next)).Str("state"));
        await _host.ExecutionWhenAsync(running, _ => true);
        var after = await (await _host.Api.GetAsync($"/api/runners/{runner.Str("id")}")).JsonAsync(HttpStatusCode.OK);
        Assert.False(after.GetProperty("connected").GetBoolean());
    }

    [Fact]
    public async Task SIGTERM_drains_the_agent()
    {
        var agent = StartAgent(await _host.RegistrationTokenAsync(), "pool=sigterm", "to-term");
        await _host.ConnectedRunnerAsync("pool=sigterm");

        agent.Terminate();

        Assert.Equal(0, await agent.ExitCodeAsync());
        await agent.WaitForLogAsync(DrainedLine());
    }

    [Fact]
    public async Task An_agent_step_runs_on_the_agent_and_its_events_reach_the_host()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "agent-step");
        StartAgent(await _host.RegistrationTokenAsync(), "pool=agent-step", "agent-step");
        await _host.ConnectedRunnerAsync("pool=agent-step");
        var card = await (await _host.Api.PostJsonAsync($"/api/repos/{repo.Id}/cards", new
        {
            title = "Leave a note",
            description = "an agent step on a remote runner",
            step_type = "agent",
            step_config = new { agent = "command", command = "echo \"hello from the agent\"; test -s \"$LAZYAF_PROMPT_FILE\"; echo note > note.txt" },
            requires = new[] { "pool=agent-step" },
        })).JsonAsync(HttpStatusCode.Created);
        using var started = await _host.Api.PostAsync($"/api/cards/{card.Str("id")}/start", null);
        var execution = started.Headers.Location!.ToString().Split('/')[^1];

        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");

        Assert.Equal("succeeded", ended.Str("state"));
        var events = await _host.Api.GetStringAsync($"/api/executions/{execution}/events");
        Assert.Contains("hello from the agent", events, StringComparison.Ordinal);
        Assert.True(ended.GetProperty("commit_sha").GetString() is { Length: > 0 });
    }

    [Theory]
    [InlineData("auto")]
    [InlineData("process-group")]
    public async Task The_agents_steps_run_in_cells_named_by_its_state_directory_and_a_setsid_escape_dies_with_the_step(string containment)
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "contained");
        var stateDir = _work.Combine($"state-{containment}");
        var agent = StartAgent(await _host.RegistrationTokenAsync(), $"pool={containment}", $"contained-{containment}", stateDir, null, "--containment", containment);
        await _host.ConnectedRunnerAsync($"pool={containment}");
        var pids = _work.Combine($"pids-{containment}");

        var execution = await _host.StartScriptCardAsync(repo.Id,
            $"echo cell=$LAZYAF_CELL; grep '^0::' /proc/self/cgroup; (setsid sleep 300 > /dev/null 2>&1 & echo $! > {pids})", $"pool={containment}");
        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");

        Assert.Equal("succeeded", ended.Str("state"));
        var stdout = string.Concat((await _host.LogsAsync(execution)).Where(c => c.Stream == "stdout").Select(c => c.Text));
        var cell = $"{LazyAf.Runner.Processes.StepContainment.OwnerOf(stateDir)}/{execution}";
        Assert.Contains($"cell={cell}\n", stdout, StringComparison.Ordinal);
        var mode = await agent.WaitForLogAsync(ContainmentLine());
        var cgroups = containment == "auto" && LazyAf.Runner.Processes.StepContainment.Unavailable(LazyAf.Runner.Processes.ContainmentMode.Cgroup) is null;
        Assert.Equal(cgroups ? "Cgroup" : "ProcessGroup", mode.Groups[1].Value);
        if (cgroups)
            Assert.Contains($"0::/lazyaf/{cell}\n", stdout, StringComparison.Ordinal);
        var pid = int.Parse(File.ReadAllText(pids).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(File.Exists($"/proc/{pid}/stat") && File.ReadAllText($"/proc/{pid}/stat").Split(") ")[1][0] is not 'Z', $"{pid} outlived its step");
    }

    [GeneratedRegex("Steps run in (\\w+) cells")]
    private static partial Regex ContainmentLine();

    [Fact]
    public async Task After_a_host_restart_the_agent_reconnects_as_the_same_runner_and_takes_work()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "restart");
        var agent = StartAgent(await _host.RegistrationTokenAsync(), "pool=restart", "survivor");
        var before = await _host.ConnectedRunnerAsync("pool=restart");
        // The host has it connected once it sent the welcome; the agent has its credential once it read it.
        await agent.WaitForLogAsync(ConnectedLine());

        await _host.Host.RestartAsync();

        var after = await WithLogOf(agent, _host.ConnectedRunnerAsync("pool=restart"));
        Assert.Equal(before.Str("id"), after.Str("id"));
        Assert.Single(await _host.RunnersAsync());
        var execution = await _host.StartScriptCardAsync(repo.Id, "echo after the restart", "pool=restart");
        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");
        Assert.Equal("succeeded", ended.Str("state"));
        Assert.Equal(before.Str("id"), ended.Str("runner"));
        await agent.WaitForLogAsync(ReconnectLine());
    }

    [Fact]
    public async Task A_step_outlives_a_network_cut_and_its_log_has_every_line_once_and_in_order()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "cut");
        await using var proxy = new DroppingProxy(new Uri(_host.RunnerUrl));
        var agent = StartAgent(await _host.RegistrationTokenAsync(), "pool=cut", "behind-a-proxy", server: proxy.Url);
        var runner = await _host.ConnectedRunnerAsync("pool=cut");
        const int Lines = 60;
        var execution = await _host.StartScriptCardAsync(repo.Id, $"for i in $(seq 1 {Lines}); do echo \"line $i\"; sleep 0.05; done", "pool=cut");
        await Eventually.HoldsAsync(async () => (await _host.LogsAsync(execution)).Any(c => c.Text.Contains("line 5\n", StringComparison.Ordinal)),
            async () => (await _host.ExecutionAsync(execution)).ToString(), TimeSpan.FromSeconds(60));

        proxy.CutAll();

        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");
        Assert.True(ended.Str("state") == "succeeded", $"{ended}\n{agent.Log}");
        Assert.Equal(runner.Str("id"), ended.Str("runner"));
        Assert.True(proxy.Connections >= 2, $"the agent did not reconnect ({proxy.Connections} connections)");
        Assert.Matches(ResumedLine(), agent.Log);
        var chunks = await _host.LogsAsync(execution);
        Assert.Equal(Enumerable.Range(1, chunks.Count).Select(i => (long)i), chunks.Select(c => c.Seq));
        var stdout = string.Concat(chunks.Where(c => c.Stream == "stdout").Select(c => c.Text)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => $"line {i}"), stdout);
    }

    [Fact]
    public async Task A_step_outlives_a_host_restart_and_its_log_has_every_line_once_and_in_order()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "host-restart");
        var agent = StartAgent(await _host.RegistrationTokenAsync(), "pool=host-restart", "outlives-the-host");
        var runner = await _host.ConnectedRunnerAsync("pool=host-restart");
        const int Lines = 200;
        var execution = await _host.StartCardAsync(repo.Id, "script",
            new { command = $"for i in $(seq 1 {Lines}); do echo \"line $i\"; sleep 0.03; done; echo done > restarted.txt", commit = true }, "pool=host-restart");
        await Eventually.HoldsAsync(async () => (await _host.LogsAsync(execution)).Any(c => c.Text.Contains("line 5\n", StringComparison.Ordinal)),
            async () => (await _host.ExecutionAsync(execution)).ToString(), TimeSpan.FromSeconds(60));

        await _host.Host.RestartAsync();
        // The restarted host has the step still running, waiting for its runner rather than failing it.
        Assert.Equal("running", (await _host.ExecutionAsync(execution)).Str("state"));

        var ended = await WithLogOf(agent, _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed"));
        Assert.True(ended.Str("state") == "succeeded", $"{ended}\n{agent.Log}");
        Assert.Equal(runner.Str("id"), ended.Str("runner"));
        Assert.Matches(ResumedLine(), agent.Log);
        var chunks = await _host.LogsAsync(execution);
        Assert.Equal(Enumerable.Range(1, chunks.Count).Select(i => (long)i), chunks.Select(c => c.Seq));
        var stdout = string.Concat(chunks.Where(c => c.Stream == "stdout").Select(c => c.Text)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => $"line {i}"), stdout);
        // Its step token, forgotten by the restart, was honoured again for the push.
        Assert.Equal(ended.Str("commit_sha"), await repo.RemoteShaAsync(ended.Str("branch")));
        // The host said it stored the result, so the agent let go of the spool.
        await Eventually.HoldsAsync(() => Task.FromResult(!Directory.Exists(Path.Combine(_work.Combine("state-outlives-the-host"), "spool", execution))),
            () => Task.FromResult(agent.Log), TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task A_runner_that_does_not_come_back_after_a_host_restart_has_its_step_failed_runner_lost_after_the_grace()
    {
        var grace = TimeSpan.FromSeconds(5);
        await using var host = RunnerHost.Start(new Dictionary<string, string> { ["Runners:RestartGrace"] = grace.ToString() });
        var repo = await SeededRepo.CreateAsync(host.Host, _work, "never-back");
        var agent = StartAgent(await host.RegistrationTokenAsync(), "pool=never-back", "never-back", server: host.RunnerUrl);
        var runner = await host.ConnectedRunnerAsync("pool=never-back");
        var execution = await host.StartScriptCardAsync(repo.Id, "echo started; sleep 300", "pool=never-back");
        await Eventually.HoldsAsync(async () => (await host.LogsAsync(execution)).Any(c => c.Text.Contains("started", StringComparison.Ordinal)),
            async () => (await host.ExecutionAsync(execution)).ToString(), TimeSpan.FromSeconds(60));

        agent.KillHard();
        // The grace starts somewhere within the restart: at least it since the restart began, at most it since the host is up.
        var restarting = Stopwatch.StartNew();
        await host.Host.RestartAsync();
        var restarted = Stopwatch.StartNew();
        var failed = await host.ExecutionWhenAsync(execution, e => e.Str("state") != "running", TimeSpan.FromSeconds(60));
        restarting.Stop();
        restarted.Stop();

        Assert.Equal("failed", failed.Str("state"));
        Assert.Equal("runner lost", failed.Str("error"));
        // It waited out the grace (not the 15 s dead window, nor "host restarted" at once).
        Assert.True(restarting.Elapsed >= grace, $"failed {restarting.Elapsed} after the restart began");
        Assert.True(restarted.Elapsed < TimeSpan.FromSeconds(14), $"failed {restarted.Elapsed} after the host was up");
        // The runner is declared dead as its steps are failed.
        await Eventually.HoldsAsync(async () => (await (await host.Api.GetAsync($"/api/runners/{runner.Str("id")}")).JsonAsync(HttpStatusCode.OK)).Str("state") == "dead",
            async () => await host.Api.GetStringAsync($"/api/runners/{runner.Str("id")}"), TimeSpan.FromSeconds(10));
    }

    private static async Task<T> WithLogOf<T>(AgentProcess agent, Task<T> waiting)
    {
        try
        {
            return await waiting;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\nThe agent's log:\n{agent.Log}", e);
        }
    }

    private AgentProcess StartAgent(string? token, string labels, string name, string? stateDir = null, string? server = null, params string[] extra)
    {
        List<string> args = ["--server", server ?? _host.RunnerUrl, "--labels", labels, "--name", name, "--state-dir", stateDir ?? _work.Combine($"state-{name}")];
        if (token is not null)
            args.AddRange(["--token", token]);
        args.AddRange(extra);
        var agent = AgentProcess.Start(args);
        _agents.Add(agent);
        return agent;
    }

    [GeneratedRegex("re-attached \\[\"?[0-9a-f]{32}")]
    private static partial Regex ResumedLine();

    [GeneratedRegex("Connected to .* as runner")]
    private static partial Regex ConnectedLine();

    [GeneratedRegex("Connecting again in")]
    private static partial Regex ReconnectLine();

    [GeneratedRegex("Drained; exiting")]
    private static partial Regex DrainedLine();
}
