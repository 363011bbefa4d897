using System.Globalization;

namespace LazyAf.Runner.Agents.ClaudeCode;

/// <summary>
/// Claude Code (npm <c>@anthropic-ai/claude-code</c>) headless: <c>claude -p --output-format stream-json --verbose</c>.
/// The prompt goes in on standard input as a stream-json user message, which is also how the approval gate
/// (<c>--permission-prompt-tool stdio</c>) talks to it; without the gate it runs with <c>bypassPermissions</c>
/// in the throw-away workspace.
/// </summary>
public sealed class ClaudeCodeCli : IAgentCli
{
    /// <inheritdoc />
    public string Kind => "claude-code";

    /// <inheritdoc />
    public string Executable => "claude";

    /// <inheritdoc />
    public AgentLaunch Launch(AgentInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        List<string> arguments = ["-p", "--output-format", "stream-json", "--input-format", "stream-json", "--verbose"];
        // A gated run loads no settings from the checkout (.claude/settings*.json, .mcp.json): the repo the agent
        // works on must not pre-approve its tools. The user's settings are the host's (CLAUDE_CONFIG_DIR).
        if (invocation.ApprovalGate)
            arguments.AddRange(["--permission-prompt-tool", "stdio", "--permission-mode", "default", "--setting-sources", "user", "--strict-mcp-config"]);
        else
            arguments.AddRange(["--permission-mode", "bypassPermissions"]);
        if (invocation.Model is { Length: > 0 } model)
            arguments.AddRange(["--model", model]);
        if (invocation.SystemPrompt is { Length: > 0 } system)
            arguments.AddRange(["--append-system-prompt", system]);
        if (invocation.MaxTurns is { } turns)
            arguments.AddRange(["--max-turns", turns.ToString(CultureInfo.InvariantCulture)]);
        if (invocation.MaxCostUsd is { } budget)
            arguments.AddRange(["--max-budget-usd", budget.ToString(CultureInfo.InvariantCulture)]);
        if (invocation.ResumeSession is { Length: > 0 } session)
            arguments.AddRange(["--resume", session]);

        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            // Headless in CI: no telemetry, no update checks; as root the CLI wants to know it is sandboxed.
            ["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"] = "1",
            ["DISABLE_AUTOUPDATER"] = "1",
            ["IS_SANDBOX"] = "1",
            // Its default is ten retries over minutes; a step should fail soon on an endpoint that keeps refusing.
            ["CLAUDE_CODE_MAX_RETRIES"] = "3",
        };
        return new AgentLaunch(arguments, environment, ClaudeControl.UserMessage(invocation.Prompt));
    }

    /// <inheritdoc />
    public IAgentOutputParser CreateParser() => new ClaudeStreamParser();
}
