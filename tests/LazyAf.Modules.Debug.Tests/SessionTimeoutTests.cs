using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Debug.Tests;

/// <summary>A session's time: it times out and aborts its run; extending it is capped by <c>Debug:MaxSeconds</c>.</summary>
public sealed class SessionTimeoutTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private LazyAfHost? _host;

    // xunit 2 disposes a test class through IAsyncLifetime only: IAsyncDisposable alone is never called.
    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_host is not null)
            await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_session_nobody_resumes_in_time_times_out_and_aborts_its_run()
    {
        _host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Debug:TimeoutSeconds"] = "3" });
        var bench = await DebugBench.CreateAsync(_host, _work, "timeout");
        var runId = await bench.RerunAsync("test");
        var session = await bench.SessionAsync(runId);

        var run = await bench.Runs.SettledAsync(runId);

        Assert.Equal("cancelled", run.Str("state"));
        Assert.Contains("timed out", run.Str("error"), StringComparison.Ordinal);
        Assert.Equal("timed_out", (await bench.GetSessionAsync(session.Str("id"))).Str("state"));
    }

    [Fact]
    public async Task Extending_adds_time_up_to_the_maximum_from_the_sessions_start()
    {
        _host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Debug:TimeoutSeconds"] = "600", ["Debug:MaxSeconds"] = "900" });
        var bench = await DebugBench.CreateAsync(_host, _work, "extend");
        var session = await bench.SessionAsync(await bench.RerunAsync("test"));
        var created = session.GetProperty("created_at").GetDateTimeOffset();
        Assert.Equal(created.AddSeconds(600), session.GetProperty("expires_at").GetDateTimeOffset());

        var longer = await (await _host.Client.PostJsonAsync($"/api/debug/{session.Str("id")}/extend", new { seconds = 100 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.AddSeconds(700), longer.GetProperty("expires_at").GetDateTimeOffset());
        var capped = await (await _host.Client.PostJsonAsync($"/api/debug/{session.Str("id")}/extend", new { seconds = 100000 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.AddSeconds(900), capped.GetProperty("expires_at").GetDateTimeOffset());

        await (await _host.Client.PostJsonAsync($"/api/debug/{session.Str("id")}/extend", new { seconds = 0 })).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
