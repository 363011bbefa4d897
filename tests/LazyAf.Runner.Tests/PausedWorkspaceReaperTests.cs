using System.Collections.Concurrent;
using LazyAf.Runner.Remote;
using Microsoft.Extensions.Time.Testing;

namespace LazyAf.Runner.Tests;

/// <summary>The countdown of a paused step's debug workspace: idle is no host holding it and no terminal open.</summary>
public sealed class PausedWorkspaceReaperTests : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(30);
    private readonly FakeTimeProvider _time = new();
    private readonly PausedWorkspaceReaper _reaper;
    private readonly ConcurrentQueue<string> _expired = new();

    public PausedWorkspaceReaperTests() => _reaper = new PausedWorkspaceReaper(Idle, _time);

    public void Dispose() => _reaper.Dispose();

    [Fact]
    public void While_the_host_holds_it_nothing_expires_and_once_it_is_gone_the_idle_time_runs_unless_the_host_holds_it_again()
    {
        _reaper.Watch("env", "/work/run-1", ExpireAsync);
        _time.Advance(Idle * 10);
        Assert.Empty(_expired);

        _reaper.HostGone("env");
        _time.Advance(Idle - TimeSpan.FromSeconds(1));
        _reaper.Watch("env", "/work/run-1", ExpireAsync);
        _time.Advance(Idle * 10);
        Assert.Empty(_expired);

        _reaper.HostGone("env");
        _time.Advance(Idle - TimeSpan.FromSeconds(1));
        Assert.Empty(_expired);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["env /work/run-1"], _expired);
    }

    [Fact]
    public void An_open_terminal_holds_it_and_the_countdown_starts_when_the_last_one_closes()
    {
        _reaper.Watch("env", "/work/run-2", ExpireAsync);
        _reaper.HostGone("env");
        _reaper.TerminalOpened("env");
        _reaper.TerminalOpened("env");

        _time.Advance(Idle * 3);
        _reaper.TerminalClosed("env");
        _time.Advance(Idle * 3);
        Assert.Empty(_expired);
        _reaper.TerminalClosed("env");
        _time.Advance(Idle);

        Assert.Equal(["env /work/run-2"], _expired);
    }

    [Fact]
    public void A_released_environment_is_forgotten_and_never_expires()
    {
        _reaper.Watch("env", "/work/run-3", ExpireAsync);
        _reaper.Watch("other", "/work/run-4", ExpireAsync);

        _reaper.HostGone("env");
        _reaper.HostGone("other");
        _reaper.Forget("env");
        _time.Advance(Idle);

        // The other one's expiry is the event that must follow; the forgotten one is not beside it.
        Assert.Equal(["other /work/run-4"], _expired);
    }

    private Task ExpireAsync(string environmentId, string workspace)
    {
        _expired.Enqueue($"{environmentId} {workspace}");
        return Task.CompletedTask;
    }
}
