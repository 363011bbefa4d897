using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

/// <summary>
/// <c>pause_on_failure</c> on a real host: a failing step pauses the run after it with a session whose terminal is in
/// what the step left; the step is run again in the same workspace, or a person marks its outcome and the run goes on.
/// </summary>
public sealed class PauseOnFailureTests : HostPerTest
{
    [Fact]
    public async Task A_failed_step_pauses_the_run_with_a_shell_in_what_it_left_and_rerun_step_replaces_the_failure_in_the_same_workspace()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "rerun", DebugBench.FailingPipeline, "failed");
        var runId = await bench.RerunPausingOnFailureAsync();

        var paused = await bench.PausedAsync(runId);
        Assert.Equal("test", paused.Str("paused_step"));
        Assert.True(paused.GetProperty("paused_after_failure").GetBoolean());
        Assert.Equal("failed", PipelineRuns.Step(paused, "test").Str("state"));
        Assert.Equal("waiting", PipelineRuns.Step(paused, "deploy").Str("state"));
        var session = await bench.SessionAsync(runId);
        Assert.True(session.GetProperty("after_failure").GetBoolean());
        var sid = session.Str("id");

        using (var socket = await TerminalSocket.ConnectAsync(Host, await TerminalSocket.TokenUrlAsync(Host, sid)))
        {
            await TerminalSocket.SendAsync(socket, new { type = "input", data = "cat leftover.txt; echo \"foo=$FOO\"; echo \"count=$(wc -l < runs.log)\"; exit\n" });
            var (output, _) = await TerminalSocket.ReadToEndAsync(socket);
            Assert.Contains("left-by-test", output, StringComparison.Ordinal);
            Assert.Contains("foo=from-the-pipeline", output, StringComparison.Ordinal);
            Assert.Contains("count=1", output, StringComparison.Ordinal);
        }

        var rerun = await (await Host.Client.PostAsync($"/api/debug/{sid}/rerun-step", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("ended", rerun.Str("state"));
        var run = await bench.Runs.SettledAsync(runId);
        Assert.Equal("passed", run.Str("state"));
        var test = PipelineRuns.Step(run, "test");
        Assert.Equal("passed", test.Str("state"));
        Assert.Equal(2, test.GetProperty("attempt").GetInt32());
        // The second run counted the first one's line: the same workspace.
        Assert.Contains("runs=2", await bench.Runs.LogsAsync(runId, "test", 2), StringComparison.Ordinal);
        Assert.Contains("deployed", await bench.Runs.LogsAsync(runId, "deploy"), StringComparison.Ordinal);
        await (await Host.Client.PostAsync($"/api/debug/{sid}/rerun-step", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Marking_the_failed_step_passed_is_said_on_the_step_and_in_its_log_and_the_run_goes_on()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "mark", DebugBench.FailingPipeline, "failed");
        var runId = await bench.RerunPausingOnFailureAsync();
        var sid = (await bench.SessionAsync(runId)).Str("id");

        var bad = await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/mark", new { outcome = "maybe" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("outcome", bad.Str("detail"), StringComparison.Ordinal);
        await (await Host.Client.PostJsonAsync("/api/debug/01ARZ3NDEKTSV4RRFFQ69G5FAV/mark", new { outcome = "passed" })).ProblemAsync(HttpStatusCode.NotFound);
        var marked = await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/mark", new { outcome = "passed" })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("ended", marked.Str("state"));

        var run = await bench.Runs.SettledAsync(runId);
        Assert.Equal("passed", run.Str("state"));
        var test = PipelineRuns.Step(run, "test");
        Assert.Equal("passed", test.Str("state"));
        Assert.Equal(1, test.GetProperty("attempt").GetInt32());
        Assert.Contains("marked passed by hand", test.Str("error"), StringComparison.Ordinal);
        Assert.Contains("marked passed by hand", await bench.Runs.LogsAsync(runId, "test"), StringComparison.Ordinal);
        Assert.Contains("deployed", await bench.Runs.LogsAsync(runId, "deploy"), StringComparison.Ordinal);
        var again = await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/mark", new { outcome = "failed" })).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ended", again.Str("current_state"));
    }

    [Fact]
    public async Task Marking_failed_fails_the_run_and_resuming_after_a_failure_lets_the_failure_stand()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "fail", DebugBench.FailingPipeline, "failed");
        var marked = await bench.RerunPausingOnFailureAsync();
        var resumed = await bench.RerunPausingOnFailureAsync();
        var markSession = (await bench.SessionAsync(marked)).Str("id");
        var resumeSession = (await bench.SessionAsync(resumed)).Str("id");

        await (await Host.Client.PostJsonAsync($"/api/debug/{markSession}/mark", new { outcome = "failed" })).JsonAsync(HttpStatusCode.OK);
        await (await Host.Client.PostAsync($"/api/debug/{resumeSession}/resume", null)).JsonAsync(HttpStatusCode.OK);

        var markedRun = await bench.Runs.SettledAsync(marked);
        Assert.Equal("failed", markedRun.Str("state"));
        Assert.Contains("marked failed by hand", markedRun.Str("error"), StringComparison.Ordinal);
        Assert.Equal("skipped", PipelineRuns.Step(markedRun, "deploy").Str("state"));
        var resumedRun = await bench.Runs.SettledAsync(resumed);
        Assert.Equal("failed", resumedRun.Str("state"));
        Assert.Contains("step test failed", resumedRun.Str("error"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rerun_step_and_mark_are_refused_for_a_session_that_paused_before_a_step()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "before");
        var runId = await bench.RerunAsync("test");
        var sid = (await bench.SessionAsync(runId)).Str("id");

        var rerun = await (await Host.Client.PostAsync($"/api/debug/{sid}/rerun-step", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not after its failure", rerun.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("waiting", rerun.Str("current_state"));
        await (await Host.Client.PostJsonAsync($"/api/debug/{sid}/mark", new { outcome = "passed" })).ProblemAsync(HttpStatusCode.Conflict);
        // Both refusals changed nothing: the session still resumes the paused run.
        await (await Host.Client.PostAsync($"/api/debug/{sid}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }
}
