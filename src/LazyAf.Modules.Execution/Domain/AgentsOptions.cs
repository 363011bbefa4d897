using System.ComponentModel.DataAnnotations;
using LazyAf.Runner.Agents;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>How agent CLIs are found, run and priced (<c>Agents:*</c>; the models offered are the Agents module's).</summary>
internal sealed class AgentsOptions
{
    public const string Section = "Agents";

    /// <summary>How long an approval request waits for an answer before it is denied (<c>Agents:ApprovalTimeoutSeconds</c>).</summary>
    [Range(double.Epsilon, double.MaxValue, ErrorMessage = "must be more than 0 (seconds)")]
    public double ApprovalTimeoutSeconds { get; set; } = 600;

    /// <summary>The most model turns of an agent step that sets no <c>max_turns</c> (<c>Agents:MaxTurns</c>, 100).</summary>
    [Range(1, 10_000, ErrorMessage = "must be 1 to 10000 (turns)")]
    public int MaxTurns { get; set; } = 100;

    /// <summary>The budget of an agent step that sets no <c>max_cost_usd</c> (<c>Agents:MaxCostUsd</c>, US$10).</summary>
    [Range(0.0001, 1_000_000, ErrorMessage = "must be 0.0001 to 1000000 (US dollars)")]
    public decimal MaxCostUsd { get; set; } = 10;

    /// <summary>
    /// An agent that makes the same tool call (same tool, same input) this many times in a row is stopped as stuck in a
    /// loop (<c>Agents:LoopGuard</c>, 8).
    /// </summary>
    [Range(2, 10_000, ErrorMessage = "must be 2 to 10000 (calls)")]
    public int LoopGuard { get; set; } = AgentRunnerOptions.DefaultLoopGuard;

    /// <summary>A CLI's path per kind, when it is not on the PATH under its usual name (<c>Agents:Executables:{kind}</c>).</summary>
    public Dictionary<string, string> Executables { get; } = new(StringComparer.Ordinal);

    /// <summary>Environment for every agent run, e.g. <c>ANTHROPIC_BASE_URL</c> (<c>Agents:Env:{NAME}</c>).</summary>
    public Dictionary<string, string> Env { get; } = new(StringComparer.Ordinal);

    /// <summary>US dollars per million tokens per model, for CLIs that report only tokens (<c>Agents:Prices:{model}</c>).</summary>
    public Dictionary<string, PriceSetting> Prices { get; } = new(StringComparer.Ordinal);

    /// <summary>The Gemini CLI's settings (<c>Agents:Gemini:*</c>).</summary>
    public GeminiSetting Gemini { get; } = new();

    /// <summary>The Codex CLI's settings (<c>Agents:Codex:*</c>).</summary>
    public CodexSetting Codex { get; } = new();

    /// <summary>A model's price (<c>Agents:Prices:{model}:Input</c> and <c>:Output</c>).</summary>
    internal sealed class PriceSetting
    {
        [Range(0, double.MaxValue, ErrorMessage = "must be 0 or more (US dollars per million tokens)")]
        public decimal Input { get; set; }

        [Range(0, double.MaxValue, ErrorMessage = "must be 0 or more (US dollars per million tokens)")]
        public decimal Output { get; set; }
    }

    internal sealed class GeminiSetting
    {
        /// <summary>The HOME the CLI runs with (<c>Agents:Gemini:Home</c>); unset: <c>{data}/agents/gemini</c>.</summary>
        public string? Home { get; set; }
    }

    internal sealed class CodexSetting
    {
        /// <summary>The model endpoint the CLI talks to (<c>Agents:Codex:BaseUrl</c>); unset: its own default.</summary>
        public Uri? BaseUrl { get; set; }
    }
}
