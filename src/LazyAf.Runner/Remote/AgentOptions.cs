using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LazyAf.Runner.Processes;

namespace LazyAf.Runner.Remote;

/// <summary>
/// A runner agent's command line: <c>AGENT --server URL --token T [--labels k=v,…] [--name N] [--capacity N]
/// [--state-dir D] [--containment M] [--run-as USER] [--ca-cert FILE] [--agent-env NAME,…] [--debug-idle-minutes N]
/// [--warm-per-repo N]</c>, then the options of that agent alone (<see cref="AgentProgram.Options"/>).
/// </summary>
public sealed record AgentOptions
{
    private static readonly AgentOption[] Shared =
    [
        new("server", "--server URL"),
        new("token", "[--token REGISTRATION-TOKEN]"),
        new("labels", "[--labels k=v,...]"),
        new("name", "[--name NAME]"),
        new("capacity", "[--capacity N]"),
        new("state-dir", "[--state-dir DIR]"),
        new("containment", "[--containment auto|cgroup|process-group]"),
        new("run-as", "[--run-as USER]"),
        new("ca-cert", "[--ca-cert FILE]"),
        new("agent-env", "[--agent-env NAME,...]"),
        new("debug-idle-minutes", "[--debug-idle-minutes N]"),
        new("warm-per-repo", "[--warm-per-repo N]"),
    ];

    /// <summary>The host's runner endpoint.</summary>
    public required Uri Server { get; init; }

    /// <summary>The registration token, needed only until the host has issued this runner its own credential.</summary>
    public string? Token { get; init; }

    /// <summary>The runner's name on the host (the machine's name by default).</summary>
    public required string Name { get; init; }

    /// <summary>The labels it offers: this machine's <c>os=</c> and <c>arch=</c>, the agent's own, then those given.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    /// <summary>How many steps it runs at once.</summary>
    public int Capacity { get; init; } = 1;

    /// <summary>Where its identity (runner id and credential), its spools and its workspaces live.</summary>
    public required string StateDir { get; init; }

    /// <summary>Where the steps' workspaces (and the git object cache they borrow from) live: <c>STATE/work</c>.</summary>
    public string WorkDir => Path.Combine(StateDir, "work");

    /// <summary>How each step's processes are held together (<c>--containment auto|cgroup|process-group</c>, the host's <c>Execution:Containment</c>).</summary>
    public ContainmentMode Containment { get; init; } = ContainmentMode.Auto;

    /// <summary>The unprivileged user steps run as (<c>--run-as</c>, the host's <c>Execution:RunAs</c>); null: the agent's own.</summary>
    public string? RunAs { get; init; }

    /// <summary>
    /// The PEM file of the certificates (a private CA, or the host's self-signed one) that an <c>https://</c> host's
    /// certificate must chain to (<c>--ca-cert</c>), for the stream and for git alike; null: the system's trust store.
    /// </summary>
    public string? CaCertFile { get; init; }

    /// <summary>
    /// How long the workspace of a paused step's debug environment is kept, with no terminal open, after the stream of the
    /// host that held it ended (<c>--debug-idle-minutes</c>, fractions allowed; 30 by default): a host that went away does
    /// not leave it on this machine for ever; while it is connected its session decides.
    /// </summary>
    public TimeSpan DebugIdle { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// How many released workspaces of steps outside a run each repo keeps warm for its next step (<c>--warm-per-repo</c>,
    /// the host's <c>Workspaces:WarmPerRepo</c>; 1 by default, 0 removes them on release): reusing one writes only the
    /// files that differ.
    /// </summary>
    public int WarmPerRepo { get; init; } = 1;

    /// <summary>The certificates of <see cref="CaCertFile"/>, read when the options were parsed.</summary>
    public X509Certificate2Collection? CertificateAuthorities { get; init; }

    /// <summary>
    /// The variables of this process's environment that agent steps get (<c>--agent-env ANTHROPIC_API_KEY,…</c>: the
    /// host's <c>Agents:Env</c>), by name, so no key is on a command line; masked in the log like secrets.
    /// </summary>
    public IReadOnlyDictionary<string, string> AgentEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>The values of the agent's own options (<see cref="AgentProgram.Options"/>) that were given, by name without the dashes.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();

    /// <summary>The one-line usage of <paramref name="program"/>.</summary>
    public static string Usage(AgentProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        return $"usage: {program.Name} {string.Join(' ', Shared.Concat(program.Options).Select(o => o.Usage))}";
    }

    /// <summary>The options of <paramref name="args"/> for <paramref name="program"/>, or the one-line reason they are wrong.</summary>
    public static (AgentOptions? Options, string? Error) Parse(string[] args, AgentProgram program)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(program);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                return (null, $"unexpected '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        var known = Shared.Concat(program.Options).Select(o => o.Name).ToHashSet(StringComparer.Ordinal);
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown)
            return (null, $"unknown option --{unknown}");
        if (!values.TryGetValue("server", out var server) || !Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("http" or "https"))
            return (null, "--server must be the host's runner URL, e.g. http://127.0.0.1:8081");
        var capacity = 1;
        if (values.TryGetValue("capacity", out var text) && (!int.TryParse(text, out capacity) || capacity < 1))
            return (null, "--capacity must be a whole number of at least 1");
        var containment = ContainmentMode.Auto;
        if (values.TryGetValue("containment", out var mode) && !TryParseContainment(mode, out containment))
            return (null, "--containment must be auto, cgroup or process-group");
        var debugIdle = 30.0;
        if (values.TryGetValue("debug-idle-minutes", out var idle) && (!double.TryParse(idle, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out debugIdle) || !double.IsFinite(debugIdle) || debugIdle is <= 0 or > 100_000))
            return (null, "--debug-idle-minutes must be a number of minutes above 0, e.g. 30 or 0.5");
        var warmPerRepo = 1;
        if (values.TryGetValue("warm-per-repo", out var warm) && (!int.TryParse(warm, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out warmPerRepo) || warmPerRepo > 100))
            return (null, "--warm-per-repo must be a whole number from 0 to 100");
        X509Certificate2Collection? authorities = null;
        if (values.TryGetValue("ca-cert", out var caFile) && ReadAuthorities(caFile, out authorities) is { } unreadable)
            return (null, $"--ca-cert {caFile}: {unreadable}");
        var agentEnvironment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in values.GetValueOrDefault("agent-env", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Environment.GetEnvironmentVariable(name) is not { } value)
                return (null, $"--agent-env: {name} is not set in this agent's environment");
            agentEnvironment[name] = value;
        }
        var given = values.GetValueOrDefault("labels", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Path.GetTempPath();
        return (new AgentOptions
        {
            Server = serverUri,
            Token = values.GetValueOrDefault("token"),
            Name = values.GetValueOrDefault("name") ?? Environment.MachineName,
            Labels = [.. MachineLabels().Concat(program.Labels).Concat(given).Distinct(StringComparer.Ordinal)],
            Capacity = capacity,
            StateDir = Path.GetFullPath(values.GetValueOrDefault("state-dir") ?? Path.Combine(home, $".{program.Name}")),
            Containment = containment,
            RunAs = values.GetValueOrDefault("run-as"),
            CaCertFile = caFile is null ? null : Path.GetFullPath(caFile),
            CertificateAuthorities = authorities,
            AgentEnvironment = agentEnvironment,
            DebugIdle = TimeSpan.FromMinutes(debugIdle),
            WarmPerRepo = warmPerRepo,
            Extra = program.Options.Where(o => values.ContainsKey(o.Name)).ToDictionary(o => o.Name, o => values[o.Name], StringComparer.Ordinal),
        }, null);
    }

    // Why the file holds no certificate to trust, or null.
    private static string? ReadAuthorities(string file, out X509Certificate2Collection? authorities)
    {
        authorities = null;
        try
        {
            var read = new X509Certificate2Collection();
            read.ImportFromPemFile(file);
            if (read.Count == 0)
                return "holds no PEM certificate";
            authorities = read;
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            return e.Message;
        }
    }

    // Spelled as the host's setting (ProcessGroup) or as an option (process-group), in any case.
    private static bool TryParseContainment(string text, out ContainmentMode mode) =>
        Enum.TryParse(text.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out mode) && Enum.IsDefined(mode);

    private static string[] MachineLabels()
    {
        var os = OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "macos" : "other";
        var arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        return [$"os={os}", $"arch={arch}"];
    }
}

/// <summary>An option only one agent has.</summary>
/// <param name="Name">Its name without the dashes, e.g. <c>step-image</c>.</param>
/// <param name="Usage">How the usage line shows it, e.g. <c>[--step-image IMAGE]</c>.</param>
public sealed record AgentOption(string Name, string Usage);

/// <summary>What sets one runner agent apart from the other, beside its step kinds.</summary>
/// <param name="Name">Its program name (<c>lazyaf-runner</c>, <c>lazyaf-native-agent</c>): in its messages, its version and its default state directory (<c>~/.NAME</c>).</param>
/// <param name="Version">Its version, sent in the hello as <c>NAME/VERSION</c>.</param>
public sealed record AgentProgram(string Name, string Version)
{
    /// <summary>Its own options, beyond those every agent has.</summary>
    public IReadOnlyList<AgentOption> Options { get; init; } = [];

    /// <summary>Labels it always offers (<c>has=docker</c>), after the machine's.</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];
}
