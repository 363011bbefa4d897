using System.Text;
using LazyAf.Runner.Logs;
using LazyAf.Runner.Processes;
using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Agents;

/// <summary>
/// The <c>agent</c> step: runs the agent CLI named by the step's <c>agent</c> setting in the workspace, with the
/// prompt assembled from the card and its context, turns its output into typed <see cref="AgentEvent"/>s on the
/// log channel, answers its tool-permission requests through <see cref="IAgentApprovals"/> when the step has an
/// approval gate, and stops it when it crosses the step's budget or repeats one tool call (<see cref="AgentRunnerOptions.LoopGuard"/>). The runner commits and pushes what it leaves.
/// The CLI runs where <c>processes</c> puts it: on this machine by default (<see cref="IAgentProcessRunner.OnThisMachine"/>).
/// </summary>
public sealed class AgentStepKind(IEnumerable<IAgentCli> clis, AgentRunnerOptions options, IAgentApprovals? approvals = null, IAgentProcessRunner? processes = null) : IStepKind
{
    private readonly Dictionary<string, IAgentCli> _clis = clis.ToDictionary(c => c.Kind, StringComparer.Ordinal);
    private readonly IAgentProcessRunner _processes = processes ?? IAgentProcessRunner.OnThisMachine;

    /// <inheritdoc />
    public string Type => "agent";

    /// <summary>The agent kinds this runner knows, with the program each would run (null when it is not installed).</summary>
    public IReadOnlyDictionary<string, string?> Installed() =>
        _clis.ToDictionary(c => c.Key, c => _processes.Find(c.Value, options), StringComparer.Ordinal);

    /// <inheritdoc />
    public async Task<int> RunAsync(StepSpec spec, string workspace, IStepOutput output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        if (spec.Step is not AgentStepDefinition step)
            throw new StepFailedException($"an agent step cannot run a {spec.Step.Type} step");
        if (!_clis.TryGetValue(step.Agent, out var cli))
            throw new StepFailedException($"unknown agent '{step.Agent}'; this runner runs: {string.Join(", ", _clis.Keys.Order(StringComparer.Ordinal))}");
        var invocation = Invocation(spec, step, output.Redactor);
        if (invocation.ApprovalGate && approvals is null)
            throw new StepFailedException("this runner cannot relay approvals, so it cannot run a step with an approval gate");
        var launch = cli.Launch(invocation);
        var program = launch.Program ?? _processes.Find(cli, options)
            ?? throw new StepFailedException($"{cli.Executable} not found on runner {options.RunnerName}");

        // The prompt is also a file, for in-house agents and for people reading the workspace afterwards.
        var promptFile = Path.Combine(workspace, Workspace.ContextDirectory.Name, "prompt.md");
        await File.WriteAllTextAsync(promptFile, invocation.Prompt, ct);
        var environment = _processes.BaseEnvironment(spec, workspace);
        environment["LAZYAF_PROMPT_FILE"] = promptFile;
        foreach (var (key, value) in launch.Environment.Concat(options.Environment).Concat(spec.Env).Concat(spec.Secrets))
            environment[key] = value;
        await output.WriteAsync(LogStream.System, Encoding.UTF8.GetBytes(
            $"$ {Path.GetFileName(program)} {string.Join(' ', launch.Arguments.Select(Quote))} ({invocation.Prompt.Length} characters of prompt){(_processes.Where.Length > 0 ? " " + _processes.Where : "")}\n"), ct);

        var run = new AgentRun(cli.CreateParser(), output, invocation, spec.ExecutionId, approvals, PriceOf(invocation.Model), options.LoopGuard);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var command = new ProcessCommand(program, launch.Arguments, StepWorkingDirectory.Require(workspace, spec.Step.WorkingDir), environment);
        int exitCode;
        try
        {
            exitCode = await _processes.RunAsync(spec, workspace, command, run.Io(launch.Stdin, stop), options.KillGrace, stop.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested && run.StopReason is { } reason)
        {
            throw new StepFailedException(reason);
        }
        return run.Outcome(cli.Kind, exitCode);
    }

    /// <summary>
    /// The values of the runner's agent environment (<see cref="AgentRunnerOptions.Environment"/>: API keys, tokens);
    /// values shorter than <see cref="MinCredentialLength"/> are flags and switches, not credentials.
    /// </summary>
    public IEnumerable<string> Credentials(StepSpec spec) => options.Environment.Values.Where(v => v.Length >= MinCredentialLength);

    /// <summary>The shortest agent environment value that is masked as a credential.</summary>
    public const int MinCredentialLength = 8;

    private AgentPrice? PriceOf(string? model) => model is not null && options.Prices.TryGetValue(model, out var price) ? price : null;

    private static string Quote(string argument) =>
        argument.Length > 80 ? "'" + Summaries.Cut(argument, 40) + "'" : argument.Any(char.IsWhiteSpace) ? $"'{argument}'" : argument;

    // Earlier steps' text in the prompt reaches the model provider: no secret goes with it.
    private static AgentInvocation Invocation(StepSpec spec, AgentStepDefinition step, SecretRedactor redactor) => new(
        redactor.Redact(step.FollowUp ?? AgentPrompt.Render(spec, step.PromptTemplate)),
        step.Model,
        step.SystemPrompt,
        step.MaxTurns is > 0 ? step.MaxTurns : null,
        step.MaxCostUsd is > 0 ? step.MaxCostUsd : null,
        step.ResumeSession,
        step.ApprovalGate,
        step.Command);
}
