using System.Collections.Concurrent;
using System.Diagnostics;
using LazyAf.Modules.Execution.Contracts;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Agents.Features.AgentClis;

/// <summary>An agent kind the executors can run, as <c>GET /api/agents</c> lists it.</summary>
/// <param name="Kind"><c>claude-code</c>, <c>gemini</c>, <c>codex</c> or <c>command</c>.</param>
/// <param name="Available">Whether its CLI was found.</param>
/// <param name="Path">The CLI's program, when found.</param>
/// <param name="Version">What the CLI's <c>--version</c> says.</param>
/// <param name="Models">The models to offer.</param>
/// <param name="Runner">The executor that runs it.</param>
internal sealed record AgentCliResponse(string Kind, bool Available, string? Path, string? Version, IReadOnlyList<string> Models, string Runner);

/// <summary>
/// Which agent CLIs the executors can run: found (or not) and the version, and the models to offer
/// (<c>Agents:Models:{kind}</c>, else a default list). Versions are asked once per path.
/// </summary>
internal sealed class AgentCliCatalog(IAgentCliInventory inventory, IOptions<AgentCatalogOptions> options)
{
    private static readonly Dictionary<string, string[]> DefaultModels = new()
    {
        ["claude-code"] = ["sonnet", "opus", "haiku"],
        ["gemini"] = ["gemini-2.5-pro", "gemini-2.5-flash"],
        ["codex"] = ["gpt-5-codex", "gpt-5"],
        ["command"] = [],
    };

    private readonly ConcurrentDictionary<string, Task<string?>> _versions = new();

    /// <summary>The kinds an executor knows.</summary>
    public IReadOnlyCollection<string> Kinds => [.. inventory.List().Select(c => c.Kind).Distinct()];

    public async Task<IReadOnlyList<AgentCliResponse>> ListAsync()
    {
        var kinds = new List<AgentCliResponse>();
        foreach (var cli in inventory.List().OrderBy(c => c.Kind, StringComparer.Ordinal))
        {
            var models = options.Value.Models.GetValueOrDefault(cli.Kind) ?? DefaultModels.GetValueOrDefault(cli.Kind) ?? [];
            var version = cli.Path is null || cli.Kind == "command" ? null : await _versions.GetOrAdd(cli.Path, VersionOfAsync);
            kinds.Add(new AgentCliResponse(cli.Kind, cli.Path is not null, cli.Path, version, models, cli.Executor));
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
