namespace LazyAf.Runner.Agents;

/// <summary>How this runner runs agent CLIs.</summary>
public sealed record AgentRunnerOptions
{
    /// <summary>The runner's name, for messages such as "claude not found on runner X".</summary>
    public string RunnerName { get; init; } = "local";

    /// <summary>Agent kind → the program's path, for CLIs that are not on the PATH under their usual name.</summary>
    public IReadOnlyDictionary<string, string> Executables { get; init; } = new Dictionary<string, string>();

    /// <summary>Variables every agent run gets (<c>ANTHROPIC_API_KEY</c>, <c>ANTHROPIC_BASE_URL</c>, …); the step's own env wins.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Model → price, for CLIs that report only tokens (Gemini, Codex) and for budgets.</summary>
    public IReadOnlyDictionary<string, AgentPrice> Prices { get; init; } = new Dictionary<string, AgentPrice>();

    /// <summary>
    /// How long a stopped agent gets between SIGTERM and SIGKILL: well under the 2 s a cancel promises, with room for a
    /// loaded machine. The CLIs write their session as they go, so a kill loses nothing a follow-up needs.
    /// </summary>
    public TimeSpan KillGrace { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The same tool call this many times in a row stops the agent as stuck in a loop.</summary>
    public int LoopGuard { get; init; } = DefaultLoopGuard;

    /// <summary>The <see cref="LoopGuard"/> of a runner that sets none: a retried build or test rarely repeats this often.</summary>
    public const int DefaultLoopGuard = 8;
}

/// <summary>A model's price in US dollars per million tokens.</summary>
/// <param name="InputPerMillion">Per million input tokens.</param>
/// <param name="OutputPerMillion">Per million output tokens.</param>
public sealed record AgentPrice(decimal InputPerMillion, decimal OutputPerMillion)
{
    /// <summary>The cost of <paramref name="usage"/>: what the CLI reported, else its tokens at this price.</summary>
    public decimal CostOf(AgentUsage usage)
    {
        ArgumentNullException.ThrowIfNull(usage);
        return usage.CostUsd ?? (usage.InputTokens * InputPerMillion + usage.OutputTokens * OutputPerMillion) / 1_000_000m;
    }
}
