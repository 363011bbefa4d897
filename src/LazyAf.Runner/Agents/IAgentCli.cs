namespace LazyAf.Runner.Agents;

/// <summary>
/// One agent program (Claude Code, Gemini CLI, Codex, an in-house command): how to start it for a task and
/// how to read what it prints. The <see cref="AgentStepKind"/> does the rest the same way for all of them.
/// </summary>
public interface IAgentCli
{
    /// <summary>The <c>agent</c> setting that selects it: <c>claude-code</c>, <c>gemini</c>, <c>codex</c>, <c>command</c>.</summary>
    string Kind { get; }

    /// <summary>The program's name on the PATH (<c>claude</c>, …); runner configuration may name another path.</summary>
    string Executable { get; }

    /// <summary>The arguments, environment and standard input for one run.</summary>
    AgentLaunch Launch(AgentInvocation invocation);

    /// <summary>A parser for one run's standard output (parsers may keep state between lines).</summary>
    IAgentOutputParser CreateParser();
}

/// <summary>What an agent run is asked to do.</summary>
/// <param name="Prompt">The assembled task (template filled in).</param>
/// <param name="Model">The model to use, when set.</param>
/// <param name="SystemPrompt">Instructions from the selected agent files, appended to the CLI's own system prompt.</param>
/// <param name="MaxTurns">Stop after this many model turns, when set.</param>
/// <param name="MaxCostUsd">Stop when the run's cost crosses this, when set (CLIs that can enforce it themselves are told).</param>
/// <param name="ResumeSession">Continue this earlier session (a follow-up), when set.</param>
/// <param name="ApprovalGate">Ask before each tool use instead of allowing all (only CLIs whose parser is an <see cref="IAgentApprovalProtocol"/>).</param>
/// <param name="Command">For the <c>command</c> agent: the program line to run.</param>
public sealed record AgentInvocation(
    string Prompt, string? Model, string? SystemPrompt, int? MaxTurns, decimal? MaxCostUsd, string? ResumeSession, bool ApprovalGate, string? Command);

/// <summary>How to start the agent program.</summary>
/// <param name="Arguments">Its arguments (never re-parsed by a shell).</param>
/// <param name="Environment">Variables set on top of the step's environment.</param>
/// <param name="Stdin">What to write to its standard input before closing it (the prompt, for some CLIs); null writes nothing.</param>
/// <param name="Program">A program to run instead of <see cref="IAgentCli.Executable"/> (the <c>command</c> agent's shell).</param>
public sealed record AgentLaunch(IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string? Stdin, string? Program = null);

/// <summary>Turns a CLI's output lines into <see cref="AgentEvent"/>s.</summary>
public interface IAgentOutputParser
{
    /// <summary>The events one line of standard output carries; an unknown or malformed line becomes one <see cref="AgentEventKind.Raw"/> event.</summary>
    IReadOnlyList<AgentEvent> Parse(string line);
}

/// <summary>
/// The parser of a CLI whose stream reports usage only with its result, but which records each model turn's tokens
/// in its session file as it goes: read while the CLI runs, so the step's budget holds between turns, not only after.
/// </summary>
public interface IAgentRecordedUsage
{
    /// <summary>The session the stream has named so far (null before it did): whose record to read.</summary>
    string? SessionId { get; }

    /// <summary>The model turns the session's record gained since the last call, each as a <see cref="AgentEventKind.Usage"/> event.</summary>
    IReadOnlyList<AgentEvent> ReadRecordedUsage();
}

/// <summary>
/// The parser of a CLI that can ask, over its standard input and output, before it uses each tool; it keeps
/// what it needs (the tool's input) to answer the requests it parsed.
/// </summary>
public interface IAgentApprovalProtocol
{
    /// <summary>The line that answers <paramref name="request"/> on the CLI's standard input.</summary>
    string Answer(AgentEvent request, ApprovalDecision decision);

    /// <summary>The line that tells the CLI there is no more input, when it reads its prompt as a stream; null if closing stdin is enough.</summary>
    string? EndOfInput { get; }
}
