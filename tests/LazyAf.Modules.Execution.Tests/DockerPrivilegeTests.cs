using System.Diagnostics;
using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// Who may run privileged docker steps or give them the engine's socket (<c>Execution:Docker:PrivilegedRepos</c>), and
/// the network of a pipeline run, on a real host and the real engine.
/// </summary>
public sealed class DockerPrivilegeTests(DockerPrivilegeTests.AllowingHost fixture) : IClassFixture<DockerPrivilegeTests.AllowingHost>, IDisposable
{
    private const string Image = "lazyaf/busybox:test";
    private const string AllowedRepo = "docker-allowed";
    private const string AllowedPrivilegedRepo = "docker-allowed-privileged";

    private readonly TempDir _work = new();
    private readonly CardRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    /// <summary>A host that lets the repos named <see cref="AllowedRepo"/> and <see cref="AllowedPrivilegedRepo"/> escalate, and no other.</summary>
    public sealed class AllowingHost : IAsyncLifetime
    {
        public LazyAfHost Host { get; private set; } = null!;

        public Task InitializeAsync()
        {
            Host = LazyAfHost.Start(settings: new Dictionary<string, string>
            {
                ["Execution:Docker:PrivilegedRepos:0"] = AllowedRepo,
                ["Execution:Docker:PrivilegedRepos:1"] = AllowedPrivilegedRepo,
            });
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("privileged")]
    [InlineData("docker_socket")]
    public async Task A_step_that_asks_to_escalate_in_a_repo_not_allowed_fails_with_the_reason_before_any_container_starts(string flag)
    {
        var name = "docker-not-allowed-" + flag.Replace('_', '-');
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, name);
        var card = await _runs.CreateDockerCardAsync(repo.Id, Image, "echo escaped > escaped.txt", flag: flag);

        var execution = await _runs.StartAsync(card);
        var failed = await _runs.SettledAsync(card);

        Assert.Equal("failed", failed.Str("status"));
        var reason = (await _runs.ExecutionAsync(execution)).Str("error");
        Assert.Equal(
            $"the step asks for {flag}, which repo {name} may not use: an administrator lists the repos that may in Execution:Docker:PrivilegedRepos",
            reason);
        Assert.Equal(0, ContainersOf(execution));
        // Nothing ran: the step's system log never got to "$ docker run".
        Assert.DoesNotContain("docker run", await Api.GetStringAsync($"/api/executions/{execution}/logs"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_docker_socket_step_in_an_allowed_repo_reaches_the_engines_socket()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, AllowedRepo);
        var card = await _runs.CreateDockerCardAsync(repo.Id, Image, "test -S /var/run/docker.sock && echo there > socket.txt", flag: "docker_socket", commit: true);

        var execution = await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);

        Assert.True(settled.Str("status") == "in_review", await Api.GetStringAsync($"/api/executions/{execution}/logs"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("there", await repo.GitAsync("show", $"origin/{settled.Str("branch_name")}:socket.txt"));
    }

    [Fact]
    public async Task A_privileged_step_in_an_allowed_repo_is_run_privileged()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, AllowedPrivilegedRepo);
        var card = await _runs.CreateDockerCardAsync(repo.Id, Image, "mkdir -p /tmp/m && busybox mount -t tmpfs none /tmp/m && echo mounted > mounted.txt", flag: "privileged");

        var execution = await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);

        var logs = await Api.GetStringAsync($"/api/executions/{execution}/logs");
        Assert.Contains("; privileged;", logs, StringComparison.Ordinal);
        if (EngineRunsPrivileged())
            Assert.True(settled.Str("status") == "in_review", logs);
        else
            // A confined engine (a sandbox's) refuses every capability: refused by the engine, not by LazyAF.
            Assert.Contains("caps", (await _runs.ExecutionAsync(execution)).Str("error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_docker_steps_of_one_pipeline_run_share_its_network_and_it_is_gone_after_the_run()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "docker-run-network");
        var yaml = $"name: net\nsteps:\n  - id: one\n    type: docker\n    config: {{image: \"{Image}\", command: \"true\"}}\n" +
            $"  - id: two\n    type: docker\n    needs: [one]\n    config: {{image: \"{Image}\", command: \"true\"}}\n";
        var pipeline = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/pipelines", new { yaml })).JsonAsync(HttpStatusCode.Created);
        var runId = (await (await Api.PostJsonAsync($"/api/pipelines/{pipeline.Str("id")}/run", new { })).JsonAsync(HttpStatusCode.Accepted)).Str("id");

        System.Text.Json.JsonElement run = default;
        await Eventually.HoldsAsync(
            () => (run = Api.GetAsync($"/api/pipeline-runs/{runId}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult()).Str("state") is "passed" or "failed",
            () => run.ToString(),
            TimeSpan.FromSeconds(90));

        Assert.Equal("passed", run.Str("state"));
        foreach (var step in run.GetProperty("steps").EnumerateArray())
            Assert.Contains($"network lazyaf-run-{runId})", await Api.GetStringAsync($"/api/executions/{step.Str("execution_id")}/logs"), StringComparison.Ordinal);
        Assert.DoesNotContain($"lazyaf-run-{runId}", Docker("network", "ls", "--format", "{{.Name}}").Split('\n'));
    }

    private static int ContainersOf(string executionId) =>
        Docker("ps", "-aq", "--filter", $"label=lazyaf.execution={executionId}").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;

    private static bool EngineRunsPrivileged()
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", ["run", "--rm", "--privileged", Image, "true"]) { RedirectStandardError = true })!;
        docker.StandardError.ReadToEnd();
        docker.WaitForExit();
        return docker.ExitCode == 0;
    }

    private static string Docker(params string[] args)
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", args) { RedirectStandardOutput = true })!;
        var output = docker.StandardOutput.ReadToEnd();
        docker.WaitForExit();
        return output.Trim();
    }
}
