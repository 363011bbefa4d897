using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

/// <summary>Debug re-runs on a real host: the run pauses before the breakpoint in a persisted state, and a session resumes or aborts it.</summary>
public sealed class DebugRerunTests : HostPerTest
{
    [Fact]
    public async Task A_debug_rerun_pauses_before_the_breakpoint_and_resuming_runs_it_to_the_end()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "pause");
        var runId = await bench.RerunAsync("test");

        var paused = await bench.PausedAsync(runId);
        Assert.Equal("test", paused.Str("paused_step"));
        Assert.Equal("passed", PipelineRuns.Step(paused, "build").Str("state"));
        Assert.Equal("waiting", PipelineRuns.Step(paused, "test").Str("state"));
        Assert.Equal("debug", paused.Str("trigger_kind"));
        var session = await bench.SessionAsync(runId);
        Assert.Equal("test", session.Str("step_id"));

        var resumed = await (await Host.Client.PostAsync($"/api/debug/{session.Str("id")}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("ended", resumed.Str("state"));
        var run = await bench.Runs.SettledAsync(runId);
        Assert.Equal("passed", run.Str("state"));
        Assert.Contains("testing from-the-pipeline", await bench.Runs.LogsAsync(runId, "test"), StringComparison.Ordinal);
        // Once over, the session takes no more actions.
        var again = await (await Host.Client.PostAsync($"/api/debug/{session.Str("id")}/resume", null)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ended", again.Str("current_state"));
    }

    [Fact]
    public async Task A_breakpoint_on_a_step_that_does_not_exist_is_refused_naming_it()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "unknown");
        var problem = await (await Host.Client.PostJsonAsync($"/api/pipeline-runs/{bench.OriginalRunId}/debug-rerun", new { breakpoints = new[] { "test", "deploy" } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'deploy'", problem.Str("detail"), StringComparison.Ordinal);
        Assert.DoesNotContain("'test'", problem.Str("detail"), StringComparison.Ordinal);

        await (await Host.Client.PostJsonAsync($"/api/pipeline-runs/{bench.OriginalRunId}/debug-rerun", new { breakpoints = Array.Empty<string>() }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        await (await Host.Client.PostJsonAsync("/api/pipeline-runs/01ARZ3NDEKTSV4RRFFQ69G5FAV/debug-rerun", new { breakpoints = new[] { "test" } }))
            .ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Aborting_the_session_cancels_the_paused_run_without_running_the_step()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "abort");
        var runId = await bench.RerunAsync("test");
        var session = await bench.SessionAsync(runId);

        await (await Host.Client.PostAsync($"/api/debug/{session.Str("id")}/abort", null)).JsonAsync(HttpStatusCode.OK);

        var run = await bench.Runs.SettledAsync(runId);
        Assert.Equal("cancelled", run.Str("state"));
        Assert.Equal("skipped", PipelineRuns.Step(run, "test").Str("state"));
    }

    [Fact]
    public async Task A_paused_run_stays_paused_across_a_host_restart_and_resumes_after_it()
    {
        var bench = await DebugBench.CreateAsync(Host, Work, "restart");
        var runId = await bench.RerunAsync("test");
        var session = await bench.SessionAsync(runId);

        await Host.RestartAsync();

        var paused = await bench.Runs.RunStateAsync(runId);
        Assert.Equal("paused", paused.Str("state"));
        Assert.Equal("waiting", (await bench.GetSessionAsync(session.Str("id"))).Str("state"));
        await (await Host.Client.PostAsync($"/api/debug/{session.Str("id")}/resume", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("passed", (await bench.Runs.SettledAsync(runId)).Str("state"));
    }
}
