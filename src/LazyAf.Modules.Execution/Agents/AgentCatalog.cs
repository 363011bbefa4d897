using System.Collections.Concurrent;
using System.Diagnostics;
using LazyAf.Runner.Agents;
using Microsoft.Extensions.Configuration;

namespace LazyAf.Modules.Execution.Agents;

/// <summary>
/// Which agent kinds this host can run: the CLI found (or not) and its version, and the models to offer
/// (<c>Agents:Models:{kind}</c>, else a default list). Versions are asked once per path.
/// </summary>
internal sealed class AgentCatalog(AgentStepKind agents, IConfiguration configuration)
{
    public sealed record AgentKind(string Kind, bool Available, string? Path, string? Version, IReadOnlyList<string> Models, string Runner);

    private static readonly Dictionary<string, string[]> DefaultModels = new()
    {
        ["claude-code"] = ["sonnet", "opus", "haiku"],
        ["gemini"] = ["gemini-2.5-pro", "gemini-2.5-flash"],
        ["codex"] = ["gpt-5-codex", "gpt-5"],
        ["command"] = [],
    };

    private readonly ConcurrentDictionary<string, Task<string?>> _versions = new();

    public async Task<IReadOnlyList<AgentKind>> ListAsync(string runner)
    {
        var kinds = new List<AgentKind>();
        foreach (var (kind, path) in agents.Installed().OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            var models = configuration.GetSection($"Agents:Models:{kind}").Get<string[]>() ?? DefaultModels.GetValueOrDefault(kind) ?? [];
            var version = path is null || kind == "command" ? null : await _versions.GetOrAdd(path, VersionOfAsync);
            kinds.Add(new AgentKind(kind, path is not null, path, version, models, runner));
        }
        return kinds;
    }

    private static async Task<string?> VersionOfAsync(string path)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(path, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            if (process is null)
                return null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            return output.Trim() is { Length: > 0 } text ? text.Split('\n')[0] : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException or IOException)
        {
            return null;
        }
    }
}
