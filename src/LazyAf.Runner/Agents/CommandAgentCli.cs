namespace LazyAf.Runner.Agents;

/// <summary>
/// An in-house agent: the step's <c>command</c> run by <c>bash -c</c>, with the prompt on its standard input and
/// in the file <c>$LAZYAF_PROMPT_FILE</c>. Lines it prints that are LazyAF agent events (JSON with a
/// <c>kind</c>) are taken as they are; any other line is the agent talking.
/// </summary>
public sealed class CommandAgentCli : IAgentCli
{
    /// <inheritdoc />
    public string Kind => "command";

    /// <inheritdoc />
    public string Executable => "bash";

    /// <inheritdoc />
    public AgentLaunch Launch(AgentInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        if (string.IsNullOrWhiteSpace(invocation.Command))
            throw new StepFailedException("a command agent needs a command");
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        if (invocation.Model is { } model)
            environment["LAZYAF_MODEL"] = model;
        return new AgentLaunch(["-e", "-c", invocation.Command], environment, invocation.Prompt);
    }

    /// <inheritdoc />
    public IAgentOutputParser CreateParser() => new LineParser();

    private sealed class LineParser : IAgentOutputParser
    {
        public IReadOnlyList<AgentEvent> Parse(string line)
        {
            ArgumentNullException.ThrowIfNull(line);
            if (line.Length == 0)
                return [];
            if (line.StartsWith('{') && AgentEventJson.FromLine(line) is { } e)
                return [e];
            return [new AgentEvent(AgentEventKind.AssistantText) { Text = line }];
        }
    }
}
