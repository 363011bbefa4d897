using LazyAf.Runner.Docker;
using LazyAf.Testing;

namespace LazyAf.RunnerAgent.Tests;

/// <summary>
/// The Docker agent (<c>lazyaf-runner</c>) as a real process against a real host and the real Docker engine: script
/// steps in a container of <c>--step-image</c>, one workspace per pipeline run, a card's workspace kept warm for the
/// repo's next card, a drain on SIGTERM that lets a docker
/// step finish, a killed agent started again re-attaching to its docker steps' containers (a script step on the host is
/// dropped), and the ways it refuses to start.
/// </summary>
public sealed class RunnerAgentTests : IAsyncLifetime
{
    private const string Image = "lazyaf/busybox:test";
    private static readonly Uri Engine = new("unix:///var/run/docker.sock");
    private readonly RunnerFleet _fleet = new("lazyaf-runner-agent-test");

    private RunnerHost Host => _fleet.Host;

    // xunit 2 disposes a test class through IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task With_a_step_image_a_script_step_runs_in_a_container_of_it_and_its_work_is_pushed()
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "step-image");
        var agent = StartAgent(await Host.RegistrationTokenAsync(), "pool=step-image", "step-image", extra: ["--step-image", Image]);
        await Host.ConnectedRunnerAsync("pool=step-image");

        var execution = await Host.StartCardAsync(repo.Id, "script",
            new { command = "echo ws=$LAZYAF_WORKSPACE; echo made > made.txt; false; echo not reached", commit = true }, "pool=step-image");
        var failed = await Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");
        var stdout = await StdoutAsync(execution);

        // set -e, as on the host: the step stops at the failing command.
        Assert.True(failed.Str("state") == "failed", $"{failed}\n{agent.Log}");
        Assert.Contains("ws=/workspace\n", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not reached", stdout, StringComparison.Ordinal);
        // What it wrote in the container's /workspace is in the workspace, committed and pushed like any step's work.
        Assert.Equal(failed.Str("commit_sha"), await repo.RemoteShaAsync(failed.Str("branch")));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("made", (await repo.GitAsync("show", $"{failed.Str("commit_sha")}:made.txt")).Trim());
    }

    [Fact]
    public async Task A_step_image_the_engine_lacks_fails_the_step_with_the_reason()
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "absent-image");
        StartAgent(await Host.RegistrationTokenAsync(), "pool=absent-image", "absent-image", extra: ["--step-image", "lazyaf/absent:none"]);
        await Host.ConnectedRunnerAsync("pool=absent-image");

        var execution = await Host.StartScriptCardAsync(repo.Id, "echo never", "pool=absent-image");
        var failed = await Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");

        Assert.Equal("failed", failed.Str("state"));
        Assert.Contains("image 'lazyaf/absent:none' not found in the local Docker engine", failed.Str("error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_steps_of_a_pipeline_run_share_one_workspace_and_another_run_gets_its_own()
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "run-workspace");
        var agent = StartAgent(await Host.RegistrationTokenAsync(), "pool=run-workspace", "run-workspace");
        await Host.ConnectedRunnerAsync("pool=run-workspace");
        await PipelineRuns.CommitPipelineAsync(repo, "warm", """
            name: warm
            steps:
              - id: fill
                requires: [pool=run-workspace]
                config: {command: "echo at=$(pwd); test ! -e cache/hit; mkdir -p cache; echo warm > cache/hit; echo cache/ >> .git/info/exclude"}
              - id: use
                needs: [fill]
                requires: [pool=run-workspace]
                config: {command: "echo at=$(pwd); cat cache/hit"}
            """);
        var pipelines = new PipelineRuns(Host.Host);

        var first = await pipelines.SettledAsync(await pipelines.RunAsync(repo.Id, "warm"));
        var second = await pipelines.SettledAsync(await pipelines.RunAsync(repo.Id, "warm"));

        Assert.True(first.Str("state") == "passed", $"{first}\n{agent.Log}");
        Assert.True(second.Str("state") == "passed", $"{second}\n{agent.Log}");
        var (fill, use) = (await StepStdoutAsync(first, "fill"), await StepStdoutAsync(first, "use"));
        // The second step found the first one's ignored cache, in the same directory; the next run started from nothing.
        Assert.Contains("warm\n", use, StringComparison.Ordinal);
        Assert.Equal(Where(fill), Where(use));
        Assert.NotEqual(Where(fill), Where(await StepStdoutAsync(second, "fill")));
    }

    [Fact]
    public async Task A_card_after_another_of_the_repo_reuses_its_workspace_as_clean_as_a_new_clone_and_another_repos_card_does_not()
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "warm-card");
        var other = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "cold-card");
        var agent = StartAgent(await Host.RegistrationTokenAsync(), "pool=warm-card", "warm-card");
        await Host.ConnectedRunnerAsync("pool=warm-card");
        // What a step could leave to the next one's checkout: a hook it would run, config, untracked and ignored files.
        const string Plant = """
            echo inode=$(stat -c %i README.md)
            printf '#!/bin/sh\ntouch hook-ran\n' > .git/hooks/post-checkout && chmod +x .git/hooks/post-checkout
            git config core.hooksPath .git/hooks
            echo planted > untracked.txt
            mkdir -p build && echo planted > build/out && echo build/ >> .git/info/exclude
            """;
        const string Check = """
            echo inode=$(stat -c %i README.md)
            test ! -e hook-ran && test ! -e untracked.txt && test ! -e build && test -z "$(git config --get core.hooksPath)"
            test -z "$(git status --porcelain)" && grep -qx '# test repo' README.md
            """;

        var first = await CardAsync(repo.Id, Plant);
        var second = await CardAsync(repo.Id, Check);
        var elsewhere = await CardAsync(other.Id, "echo inode=$(stat -c %i README.md)");

        Assert.True(second.Ended.Str("state") == "succeeded", $"{second.Ended}\n{second.System}\n{agent.Log}");
        // The same checkout (README.md kept its inode), made clean: the reuse is said in the log, and only there.
        Assert.Equal(Inode(first.Stdout), Inode(second.Stdout));
        Assert.Contains("reusing a workspace of this repo", second.System, StringComparison.Ordinal);
        Assert.DoesNotContain("reusing a workspace", first.System, StringComparison.Ordinal);
        Assert.True(elsewhere.Ended.Str("state") == "succeeded", $"{elsewhere.Ended}\n{agent.Log}");
        Assert.DoesNotContain("reusing a workspace", elsewhere.System, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SIGTERM_lets_a_running_docker_step_finish_then_the_agent_exits()
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "sigterm");
        var agent = StartAgent(await Host.RegistrationTokenAsync(), "pool=sigterm", "sigterm");
        await Host.ConnectedRunnerAsync("pool=sigterm");
        var execution = await Host.StartDockerCardAsync(repo.Id, Image, "echo started; sleep 2; echo finished", "pool=sigterm");
        await Eventually.HoldsAsync(async () => (await StdoutAsync(execution)).Contains("started", StringComparison.Ordinal),
            async () => $"{await Host.ExecutionAsync(execution)}\n{agent.Log}", TimeSpan.FromSeconds(60));

        agent.Terminate();

        Assert.Equal(0, await agent.ExitCodeAsync());
        var ended = await Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");
        Assert.True(ended.Str("state") == "succeeded", $"{ended}\n{agent.Log}");
        Assert.Contains("finished", await StdoutAsync(execution), StringComparison.Ordinal);
        Assert.Contains("Drained; exiting", agent.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_agent_started_again_re_attaches_to_its_docker_step_and_the_log_has_every_line_once_in_order()
    {
        const int Lines = 50;
        var (execution, stateDir) = await KilledMidStepAsync("reattach", (repo, pool) => Host.StartDockerCardAsync(repo, Image,
            $"i=1; while [ $i -le {Lines} ]; do echo line $i; i=$((i+1)); sleep 0.2; done", pool), "line 5\n");
        var stillRunning = await DockerStepKind.FindRunningAsync(Engine, execution, CancellationToken.None);
        var again = StartAgent(null, "pool=reattach", "reattach", stateDir);
        var ended = await _fleet.WithLogs(Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed", TimeSpan.FromSeconds(90)));

        Assert.Single(stillRunning);
        Assert.True(ended.Str("state") == "succeeded", $"{ended}\n{_fleet.Logs}");
        Assert.Equal(0, ended.GetProperty("exit_code").GetInt32());
        Assert.Contains($"Re-attaching to execution {execution}", again.Log, StringComparison.Ordinal);
        // Seq by seq: no gap, no duplicate; and every line the step printed, once, in order, across the restart.
        var chunks = await Host.LogsAsync(execution);
        Assert.Equal(Enumerable.Range(1, chunks.Count).Select(i => (long)i), chunks.Select(c => c.Seq));
        var printed = string.Concat(chunks.Where(c => c.Stream == "stdout").Select(c => c.Text)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => $"line {i}"), printed);
        Assert.Contains(chunks, c => c.Stream == "system" && c.Text.Contains("re-attached after a restart; the step exited 0", StringComparison.Ordinal));
        Assert.Empty(await DockerStepKind.FindRunningAsync(Engine, execution, CancellationToken.None));
    }

    [Fact]
    public async Task A_docker_step_that_ended_while_its_agent_was_down_is_reported_with_its_exit_code_when_it_is_back()
    {
        var (execution, stateDir) = await KilledMidStepAsync("ended-while-down",
            (repo, pool) => Host.StartDockerCardAsync(repo, Image, "echo started; sleep 2; echo finished alone; exit 7", pool), "started");
        var docker = new DockerStepKind(new DockerStepOptions { Endpoint = Engine });
        await Eventually.HoldsAsync(async () => (await docker.FindAsync(execution, CancellationToken.None))?.State == "exited",
            async () => $"{await docker.FindAsync(execution, CancellationToken.None)}", TimeSpan.FromSeconds(30));
        StartAgent(null, "pool=ended-while-down", "ended-while-down", stateDir);
        var ended = await _fleet.WithLogs(Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed", TimeSpan.FromSeconds(60)));

        Assert.True(ended.Str("state") == "failed", $"{ended}\n{_fleet.Logs}");
        Assert.Equal(7, ended.GetProperty("exit_code").GetInt32());
        Assert.Equal("started\nfinished alone\n", await StdoutAsync(execution));
        Assert.Null(await docker.FindAsync(execution, CancellationToken.None));
    }

    [Fact]
    public async Task A_script_step_a_killed_agent_left_is_dropped_when_the_agent_starts_again()
    {
        var (execution, stateDir) = await KilledMidStepAsync("left-running", (repo, pool) => Host.StartScriptCardAsync(repo, "echo started; sleep 300", pool), "started");
        var again = StartAgent(null, "pool=left-running", "left-running", stateDir);
        var ended = await _fleet.WithLogs(Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed", TimeSpan.FromSeconds(60)));

        // A process on the host died with the agent: nothing to re-attach to, so the host fails it at once.
        Assert.Equal("failed", ended.Str("state"));
        Assert.Contains("runner lost", ended.Str("error"), StringComparison.Ordinal);
        Assert.Contains($"Dropped what execution {execution} spooled", again.Log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--docker-host unix:///nonexistent/docker.sock", "the Docker daemon is not reachable at unix:///nonexistent/docker.sock")]
    [InlineData("--docker-host ftp://127.0.0.1:2375", "--docker-host must be the engine's endpoint")]
    [InlineData("--bogus 1", "unknown option --bogus")]
    [InlineData("--capacity 0", "--capacity must be a whole number of at least 1")]
    [InlineData("--agent-env LAZYAF_TEST_NEVER_SET", "--agent-env: LAZYAF_TEST_NEVER_SET is not set in this agent's environment")]
    [InlineData("--warm-per-repo -1", "--warm-per-repo must be a whole number from 0 to 100")]
    public async Task It_refuses_to_start_with_the_reason(string options, string reason)
    {
        var agent = StartAgent("lzreg_unused", "pool=refused", "refused", extra: options.Split(' '));

        Assert.Equal(1, await agent.ExitCodeAsync());
        Assert.Contains(reason, agent.Log, StringComparison.Ordinal);
        Assert.Empty(await Host.RunnersAsync());
    }

    /// <summary>
    /// An agent named <paramref name="name"/> on its own state dir, given the card <paramref name="start"/> makes (of a repo,
    /// requiring its pool), killed with SIGKILL once the step printed <paramref name="shown"/>.
    /// </summary>
    private async Task<(string Execution, string StateDir)> KilledMidStepAsync(string name, Func<string, string, Task<string>> start, string shown)
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, name);
        var stateDir = _fleet.Work.Combine($"state-{name}");
        var agent = StartAgent(await Host.RegistrationTokenAsync(), $"pool={name}", name, stateDir);
        await Host.ConnectedRunnerAsync($"pool={name}");
        var execution = await start(repo.Id, $"pool={name}");
        await Eventually.HoldsAsync(async () => (await StdoutAsync(execution)).Contains(shown, StringComparison.Ordinal),
            async () => $"{await Host.ExecutionAsync(execution)}\n{agent.Log}", TimeSpan.FromSeconds(60));
        agent.KillHard();
        await agent.ExitCodeAsync();
        return (execution, stateDir);
    }

    // A script card on the warm-card pool, waited for: its execution, stdout and system log.
    private async Task<(System.Text.Json.JsonElement Ended, string Stdout, string System)> CardAsync(string repoId, string command)
    {
        var execution = await Host.StartScriptCardAsync(repoId, command, "pool=warm-card");
        var ended = await Host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");
        var logs = await Host.LogsAsync(execution);
        return (ended, string.Concat(logs.Where(c => c.Stream == "stdout").Select(c => c.Text)), string.Concat(logs.Where(c => c.Stream == "system").Select(c => c.Text)));
    }

    private static string Inode(string stdout) => stdout.Split('\n').Single(l => l.StartsWith("inode=", StringComparison.Ordinal));

    private static string Where(string log) => log.Split('\n').Single(l => l.StartsWith("at=", StringComparison.Ordinal));

    private Task<string> StepStdoutAsync(System.Text.Json.JsonElement run, string step) => StdoutAsync(PipelineRuns.Step(run, step).Str("execution_id"));

    private async Task<string> StdoutAsync(string execution) =>
        string.Concat((await Host.LogsAsync(execution)).Where(c => c.Stream == "stdout").Select(c => c.Text));

    private AgentProcess StartAgent(string? token, string labels, string name, string? stateDir = null, string[]? extra = null)
    {
        List<string> args = ["--server", Host.RunnerUrl, "--labels", labels, "--name", name, "--state-dir", stateDir ?? _fleet.Work.Combine($"state-{name}")];
        if (token is not null)
            args.AddRange(["--token", token]);
        args.AddRange(extra ?? []);
        return _fleet.Start(args, AgentProcess.JitBuild("lazyaf-runner"));
    }
}
