using Microsoft.Extensions.Configuration;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>How the host keeps its remote runners: the <c>Runners:*</c> settings.</summary>
internal sealed record RunnerOptions
{
    /// <summary>How often a runner must send a heartbeat (<c>Runners:HeartbeatInterval</c>, 5 s).</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>After this much silence a runner is dead and its steps fail "runner lost" (<c>Runners:DeadAfter</c>, 15 s).</summary>
    public TimeSpan DeadAfter { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an assignment waits for the runner's ack before it goes to another runner (<c>Runners:AckTimeout</c>, 5 s).</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How much of one execution's output is stored (<c>Execution:MaxLogBytes</c>, as for the local executor).</summary>
    public long MaxLogBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// How runners reach this host's git server (<c>Runners:GitUrl</c>, e.g. <c>http://lazyaf.lan:8080</c>): the
    /// scheme, host and port of clone URLs sent to runners. Unset, they get the host's first listen address, which
    /// suits runners on the same machine.
    /// </summary>
    public Uri? GitUrl { get; init; }

    public static RunnerOptions Read(IConfiguration configuration)
    {
        var defaults = new RunnerOptions();
        return new RunnerOptions
        {
            HeartbeatInterval = configuration.GetValue("Runners:HeartbeatInterval", defaults.HeartbeatInterval),
            DeadAfter = configuration.GetValue("Runners:DeadAfter", defaults.DeadAfter),
            AckTimeout = configuration.GetValue("Runners:AckTimeout", defaults.AckTimeout),
            MaxLogBytes = configuration.GetValue("Execution:MaxLogBytes", defaults.MaxLogBytes),
            GitUrl = configuration["Runners:GitUrl"] is { Length: > 0 } gitUrl ? new Uri(gitUrl) : null,
        };
    }
}
