using System.Runtime.InteropServices;
using LazyAf.Runner.Processes;

namespace LazyAf.NativeAgent;

/// <summary>The agent's command line: <c>lazyaf-native-agent --server URL --token T [--labels k=v,…] [--name N] [--capacity N] [--state-dir D] [--containment M] [--run-as USER]</c>.</summary>
internal sealed record AgentOptions
{
    public required Uri Server { get; init; }

    /// <summary>The registration token, needed only until the host has issued this runner its own credential.</summary>
    public string? Token { get; init; }

    public required string Name { get; init; }

    /// <summary>The labels it offers: this machine's <c>os=</c> and <c>arch=</c>, then those given.</summary>
    public required IReadOnlyList<string> Labels { get; init; }

    public int Capacity { get; init; } = 1;

    /// <summary>Where its identity (runner id and credential) and its workspaces live.</summary>
    public required string StateDir { get; init; }

    /// <summary>How each step's processes are held together (<c>--containment auto|cgroup|process-group</c>, the host's <c>Execution:Containment</c>).</summary>
    public ContainmentMode Containment { get; init; } = ContainmentMode.Auto;

    /// <summary>The unprivileged user steps run as (<c>--run-as</c>, the host's <c>Execution:RunAs</c>); null: the agent's own.</summary>
    public string? RunAs { get; init; }

    public const string Usage = "usage: lazyaf-native-agent --server URL [--token REGISTRATION-TOKEN] [--labels k=v,...] [--name NAME] [--capacity N] [--state-dir DIR] [--containment auto|cgroup|process-group] [--run-as USER]";

    /// <summary>The options of <paramref name="args"/>, or the one-line reason they are wrong.</summary>
    public static (AgentOptions? Options, string? Error) Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                return (null, $"unexpected '{args[i]}'");
            values[args[i][2..]] = args[++i];
        }
        if (values.Keys.FirstOrDefault(k => k is not ("server" or "token" or "labels" or "name" or "capacity" or "state-dir" or "containment" or "run-as")) is { } unknown)
            return (null, $"unknown option --{unknown}");
        if (!values.TryGetValue("server", out var server) || !Uri.TryCreate(server, UriKind.Absolute, out var serverUri) || serverUri.Scheme is not ("http" or "https"))
            return (null, "--server must be the host's runner URL, e.g. http://127.0.0.1:8081");
        var capacity = 1;
        if (values.TryGetValue("capacity", out var text) && (!int.TryParse(text, out capacity) || capacity < 1))
            return (null, "--capacity must be a whole number of at least 1");
        var containment = ContainmentMode.Auto;
        if (values.TryGetValue("containment", out var mode) && !TryParseContainment(mode, out containment))
            return (null, "--containment must be auto, cgroup or process-group");
        var given = values.GetValueOrDefault("labels", "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var home = Environment.GetEnvironmentVariable("HOME") is { Length: > 0 } h ? h : Path.GetTempPath();
        return (new AgentOptions
        {
            Server = serverUri,
            Token = values.GetValueOrDefault("token"),
            Name = values.GetValueOrDefault("name") ?? Environment.MachineName,
            Labels = [.. MachineLabels().Concat(given).Distinct(StringComparer.Ordinal)],
            Capacity = capacity,
            StateDir = Path.GetFullPath(values.GetValueOrDefault("state-dir") ?? Path.Combine(home, ".lazyaf-native-agent")),
            Containment = containment,
            RunAs = values.GetValueOrDefault("run-as"),
        }, null);
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
