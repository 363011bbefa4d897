using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// A pipeline step on a remote runner (the agent as its own process, over loopback gRPC) reports what an in-process
/// step does: every test case with its message in the repo's test history, its lcov coverage, and its artifacts,
/// byte-identical, with one over the cap refused by the same rule and said in the log.
/// </summary>
public sealed class RemoteReportsTests : IAsyncLifetime
{
    private const int MaxArtifactBytes = 5_000_000;
    private const string Label = "pool=reports";

    private const string JUnit = """
        <testsuites>
          <testsuite name="calc">
            <testcase classname="calc" name="adds" time="0.01"/>
            <testcase classname="calc" name="divides" time="0.02"><failure message="expected 2, got 3">calc.c:7</failure></testcase>
            <testcase classname="calc" name="overflows"><skipped/></testcase>
          </testsuite>
        </testsuites>
        """;

    private const string Lcov = "SF:calc.c\nDA:1,1\nDA:2,1\nDA:3,0\nDA:4,1\nBRDA:2,0,0,1\nBRDA:2,0,1,0\nend_of_record\n";

    private RunnerFleet _fleet = null!;
    private PipelineRuns _runs = null!;

    private RunnerHost Host => _fleet.Host;

    public async Task InitializeAsync()
    {
        _fleet = new RunnerFleet("lazyaf-remote-reports", new Dictionary<string, string> { ["Reports:MaxArtifactBytes"] = $"{MaxArtifactBytes}" });
        _runs = new PipelineRuns(Host.Host);
        _fleet.Start(["--server", Host.RunnerUrl, "--labels", Label, "--name", "reporter", "--state-dir", _fleet.Work.Combine("state"),
            "--token", await Host.RegistrationTokenAsync()]);
        await _fleet.WithLogs(Host.ConnectedRunnerAsync(Label));
    }

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task A_remote_steps_test_cases_reach_the_history_with_their_messages_and_its_lcov_coverage_is_recorded()
    {
        var (repo, run) = await RunAsync("remote-tests", $"""
            cat > report.xml <<'XML'
            {JUnit}
            XML
            printf '{Lcov.Replace("\n", "\\n", StringComparison.Ordinal)}' > lcov.info
            """);

        // The failing case fails the step, as it would in process.
        Assert.Equal("failed", run.Str("state"));
        var step = PipelineRuns.Step(run, "test");
        Assert.Equal(await RunnerIdAsync(), (await Host.ExecutionAsync(step.Str("execution_id"))).Str("runner"));
        var tests = await (await Host.Api.GetAsync($"/api/repos/{repo}/tests")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["calc.adds", "calc.divides", "calc.overflows"], tests.EnumerateArray().Select(t => t.Str("name")).Order(StringComparer.Ordinal).ToArray());
        Assert.Equal(
            [("calc.adds", "passed"), ("calc.divides", "failed"), ("calc.overflows", "skipped")],
            tests.EnumerateArray().Select(t => (t.Str("name"), t.Str("last_outcome"))).OrderBy(t => t.Item1, StringComparer.Ordinal).ToArray());
        var divides = await (await Host.Api.GetAsync($"/api/repos/{repo}/tests/calc.divides")).JsonAsync(HttpStatusCode.OK);
        var result = Assert.Single(divides.GetProperty("results").EnumerateArray());
        Assert.Equal(("failed", "expected 2, got 3", step.Str("execution_id")), (result.Str("outcome"), result.Str("message"), result.Str("execution_id")));

        var coverage = await (await Host.Api.GetAsync($"/api/executions/{step.Str("execution_id")}/coverage")).JsonAsync(HttpStatusCode.OK);
        var point = coverage.GetProperty("coverage");
        Assert.Equal((3L, 4L, 1L, 2L), (point.GetProperty("lines_covered").GetInt64(), point.GetProperty("lines_valid").GetInt64(),
            point.GetProperty("branches_covered").GetInt64(), point.GetProperty("branches_valid").GetInt64()));
    }

    [Fact]
    public async Task A_remote_steps_artifact_downloads_byte_identical_and_one_over_the_cap_is_refused_with_a_line_in_the_log()
    {
        var (_, built) = await RunAsync("remote-artifact", "mkdir -p out && head -c 3000000 /dev/urandom > out/data.bin && sha256sum out/data.bin", "out/*.bin");

        Assert.Equal("passed", built.Str("state"));
        var execution = PipelineRuns.Step(built, "test").Str("execution_id");
        var listed = Assert.Single((await (await Host.Api.GetAsync($"/api/executions/{execution}/artifacts")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("out/data.bin", 3_000_000L), (listed.Str("name"), listed.GetProperty("size_bytes").GetInt64()));
        using var download = await Host.Api.GetAsync($"/api/executions/{execution}/artifacts/out/data.bin");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.Equal(3_000_000, bytes.Length);
        Assert.Equal(sha, listed.Str("sha256"));
        // The hash the step itself printed on the runner.
        Assert.Contains($"{sha}  out/data.bin", string.Concat((await Host.LogsAsync(execution)).Select(c => c.Text)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Host.Host.DataDir, "runner-outputs", execution)));

        var (_, capped) = await RunAsync("remote-artifact-cap", "mkdir -p out && head -c 6000000 /dev/zero > out/big.bin && echo small > out/small.txt", "out/*");

        Assert.Equal("failed", capped.Str("state"));
        var step = PipelineRuns.Step(capped, "test");
        const string Refused = "artifact 'out/big.bin' is 5.7 MiB, over the 4.8 MiB one artifact may take (Reports:MaxArtifactBytes); none kept";
        Assert.Equal(Refused, step.Str("error"));
        Assert.Contains($"[LazyAF: artifacts: {Refused}]", string.Concat((await Host.LogsAsync(step.Str("execution_id"))).Select(c => c.Text)), StringComparison.Ordinal);
        Assert.Empty((await (await Host.Api.GetAsync($"/api/executions/{step.Str("execution_id")}/artifacts")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task An_artifact_cut_off_halfway_by_a_network_drop_is_sent_again_and_stored_once_byte_identical_with_the_result_recorded_once()
    {
        const string CutLabel = "pool=reports-cut";
        const int Size = 4_500_000; // under the fleet's cap (MaxArtifactBytes)
        await using var proxy = new DroppingProxy(new Uri(Host.RunnerUrl));
        _fleet.Start(["--server", proxy.Url, "--labels", CutLabel, "--name", "cut-off", "--state-dir", _fleet.Work.Combine("cut-state"),
            "--token", await Host.RegistrationTokenAsync()]);
        await _fleet.WithLogs(Host.ConnectedRunnerAsync(CutLabel));
        // Logs and heartbeats are a few KB: the hold comes inside the artifact's chunks, well before its close.
        var held = proxy.HoldUpstreamAfter(2_000_000);
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "remote-artifact-cut");
        var command = $"""
            echo '<testsuite name="calc"><testcase classname="calc" name="adds" time="0.01"/></testsuite>' > report.xml
            mkdir -p out && head -c {Size} /dev/urandom > out/data.bin && sha256sum out/data.bin
            """;
        await PipelineRuns.CommitPipelineAsync(repo, "cut", JsonSerializer.Serialize(new
        {
            name = "cut",
            steps = new object[] { new { id = "test", requires = new[] { CutLabel }, config = new { command }, artifacts = new[] { "out/*.bin" } } },
        }));
        var runId = await _runs.RunAsync(repo.Id, "cut");

        await _fleet.WithLogs(held.WaitAsync(TimeSpan.FromSeconds(120)));
        var staging = Path.Combine(Host.Host.DataDir, "runner-outputs");
        var partial = await _fleet.WithLogs(Eventually.ValueAsync(() => Task.FromResult(StagedPart(staging)), f => f is not null, TimeSpan.FromSeconds(30)));
        Assert.InRange(partial!.Length, 1, Size - 1);
        proxy.CutAll();

        var run = await _fleet.WithLogs(_runs.SettledAsync(runId, timeoutSeconds: 120));
        Assert.True(run.Str("state") == "passed", $"{run}\n{_fleet.Logs}");
        Assert.True(proxy.Connections >= 2, $"the agent did not reconnect ({proxy.Connections} connections)");
        var execution = PipelineRuns.Step(run, "test").Str("execution_id");
        Assert.Equal(Path.Combine(staging, execution, "out", "data.bin"), partial.FullName);
        var listed = Assert.Single((await (await Host.Api.GetAsync($"/api/executions/{execution}/artifacts")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.Equal(("out/data.bin", (long)Size), (listed.Str("name"), listed.GetProperty("size_bytes").GetInt64()));
        using var download = await Host.Api.GetAsync($"/api/executions/{execution}/artifacts/out/data.bin");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var sha = Convert.ToHexStringLower(SHA256.HashData(await download.Content.ReadAsByteArrayAsync()));
        Assert.Equal(listed.Str("sha256"), sha);
        Assert.Contains($"{sha}  out/data.bin", string.Concat((await Host.LogsAsync(execution)).Select(c => c.Text)), StringComparison.Ordinal);
        // Stored once, nothing half-written beside it, nothing left where it was received.
        var blobs = Path.Combine(Host.Host.DataDir, "artifacts");
        Assert.Equal([sha], Directory.GetFiles(Path.Combine(blobs, "sha256"), "*", SearchOption.AllDirectories).Select(Path.GetFileName));
        Assert.Empty(Directory.Exists(Path.Combine(blobs, "tmp")) ? Directory.GetFiles(Path.Combine(blobs, "tmp")) : []);
        Assert.False(Directory.Exists(Path.Combine(staging, execution)));
        // The result was recorded once: the test has this execution's one result.
        var adds = await (await Host.Api.GetAsync($"/api/repos/{repo.Id}/tests/calc.adds")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([execution], adds.GetProperty("results").EnumerateArray().Select(r => r.Str("execution_id")));
    }

    [Fact]
    public async Task At_start_up_what_runners_sent_of_ended_or_unknown_executions_is_deleted_and_a_running_steps_is_kept()
    {
        var (_, done) = await RunAsync("staging-ended", "echo done");
        var ended = PipelineRuns.Step(done, "test").Str("execution_id");
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, "staging-running");
        var go = _fleet.Work.Combine("go");
        var running = await Host.StartScriptCardAsync(repo.Id, $"echo started; while [ ! -f {go} ]; do sleep 0.1; done", Label);
        await _fleet.WithLogs(Eventually.HoldsAsync(async () => (await Host.LogsAsync(running)).Any(c => c.Text.Contains("started", StringComparison.Ordinal)),
            async () => (await Host.ExecutionAsync(running)).ToString(), TimeSpan.FromSeconds(60)));
        var staging = Path.Combine(Host.Host.DataDir, "runner-outputs");
        string[] staged = [ended, running, "01a2000000000000000000000000dead"];
        foreach (var execution in staged)
        {
            Directory.CreateDirectory(Path.Combine(staging, execution, "out"));
            await File.WriteAllTextAsync(Path.Combine(staging, execution, "out", "half.bin"), "half of it");
        }

        await Host.Host.RestartAsync();

        Assert.Equal("running", (await Host.ExecutionAsync(running)).Str("state"));
        Assert.Equal([running], Directory.GetDirectories(staging).Select(Path.GetFileName));
        // Once its runner is back (with the step's token for the push), the step ends.
        await Eventually.HoldsAsync(() => _fleet.Logs.Contains($"re-attached [\"{running}\"]", StringComparison.Ordinal), () => _fleet.Logs, TimeSpan.FromSeconds(60));
        await File.WriteAllTextAsync(go, "");
        var finished = await _fleet.WithLogs(Host.ExecutionWhenAsync(running, e => e.Str("state") is "succeeded" or "failed", TimeSpan.FromSeconds(120)));
        Assert.True(finished.Str("state") == "succeeded", $"{finished}\n{_fleet.Logs}");
        // Its runner sent its outputs again with the result; what was kept went with them.
        Assert.False(Directory.Exists(Path.Combine(staging, running)));
    }

    // The artifact the host has begun to receive, once some of its bytes are written.
    private static FileInfo? StagedPart(string staging) =>
        Directory.Exists(staging)
            ? Directory.GetFiles(staging, "data.bin", SearchOption.AllDirectories).Select(f => new FileInfo(f)).FirstOrDefault(f => f.Length > 0)
            : null;

    private async Task<string> RunnerIdAsync() => (await Host.ConnectedRunnerAsync(Label)).Str("id");

    private async Task<(string Repo, JsonElement Run)> RunAsync(string name, string command, params string[] artifacts)
    {
        var repo = await SeededRepo.CreateAsync(Host.Host, _fleet.Work, name);
        var pipeline = JsonSerializer.Serialize(new
        {
            name,
            steps = new object[] { new { id = "test", requires = new[] { Label }, config = new { command }, artifacts } },
        });
        await PipelineRuns.CommitPipelineAsync(repo, name, pipeline);
        return (repo.Id, await _fleet.WithLogs(_runs.SettledAsync(await _runs.RunAsync(repo.Id, name), timeoutSeconds: 120)));
    }
}
