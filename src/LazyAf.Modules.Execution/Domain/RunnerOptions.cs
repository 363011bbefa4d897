using System.ComponentModel.DataAnnotations;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>How the host keeps its remote runners: the <c>Runners:*</c> settings, checked at start-up.</summary>
internal sealed class RunnerOptions
{
    public const string Section = "Runners";

    /// <summary>
    /// The largest message a runner may send (4 MiB, as the proto says): a bigger one ends its stream with
    /// RESOURCE_EXHAUSTED. LazyAF's agents send chunks of at most 16 KiB; a result with its log tail and test failures
    /// stays far below.
    /// </summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    /// <summary>How often a runner must send a heartbeat (<c>Runners:HeartbeatInterval</c>, 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "must be more than 10 ms and at most an hour")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>After this much silence a runner is dead and its steps fail "runner lost" (<c>Runners:DeadAfter</c>, 15 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "must be more than 10 ms and at most a day")]
    public TimeSpan DeadAfter { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an assignment waits for the runner's ack before it goes to another runner (<c>Runners:AckTimeout</c>, 5 s).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00", ErrorMessage = "must be more than 10 ms and at most an hour")]
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a host that restarted waits for the runners that held running steps when it stopped
    /// (<c>Runners:RestartGrace</c>, 2 min). A runner back within it re-attaches its steps (they ran on meanwhile) and
    /// sends what it spooled; the steps of one that is not fail "runner lost" (or are retried, as their policy allows).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "must be more than 10 ms and at most a day")]
    public TimeSpan RestartGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How runners reach this host's git server (<c>Runners:GitUrl</c>, e.g. <c>http://lazyaf.lan:8080</c>): the
    /// scheme, host and port of clone URLs sent to runners. Unset, they get the host's first listen address, which
    /// suits runners on the same machine.
    /// </summary>
    public Uri? GitUrl { get; set; }

    /// <summary>
    /// Where runners connect (<c>Runners:Url</c>, the host's runner endpoint, e.g. <c>http://0.0.0.0:8081</c>; the host
    /// binds it). Told with each registration token so the board's connect command names it; a text, not a URI, because
    /// Kestrel's wildcards (<c>*</c>, <c>+</c>) are no host names.
    /// </summary>
    public string? Url { get; set; }
}
