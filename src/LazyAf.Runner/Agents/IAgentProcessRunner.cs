using LazyAf.Runner.Processes;
using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Agents;

/// <summary>
/// Where an agent step's CLI runs: on this machine in the step's cell (<see cref="OnThisMachine"/>, the default), or
/// somewhere else that runs the same program with the same streams (a per-step container of the Docker agent). The
/// <see cref="AgentStepKind"/> does everything else (prompt, events, approvals, budget) the same way for both.
/// </summary>
public interface IAgentProcessRunner
{
    /// <summary>Where the CLI runs, for the step's log, e.g. <c>in a container of IMAGE</c>; empty on this machine.</summary>
    string Where { get; }

    /// <summary>The program to run for <paramref name="cli"/>, or null when it is not there.</summary>
    string? Find(IAgentCli cli, AgentRunnerOptions options);

    /// <summary>
    /// What the CLI's environment starts from before the launch's, the runner's and the step's own variables are laid
    /// over it: this machine's PATH, HOME, … only where the CLI runs on this machine.
    /// </summary>
    Dictionary<string, string> BaseEnvironment(StepSpec spec, string workspace);

    /// <summary>
    /// Runs <paramref name="command"/> of <paramref name="spec"/>'s step with its streams handed to <paramref name="io"/>
    /// and returns its exit code; cancelling kills it, waiting at most <paramref name="killGrace"/> for it to stop.
    /// </summary>
    Task<int> RunAsync(StepSpec spec, string workspace, ProcessCommand command, ProcessIo io, TimeSpan killGrace, CancellationToken ct);

    /// <summary>The CLI as a process group of this machine, in the step's cell.</summary>
    static IAgentProcessRunner OnThisMachine { get; } = new ThisMachine();

    private sealed class ThisMachine : IAgentProcessRunner
    {
        public string Where => "";

        public string? Find(IAgentCli cli, AgentRunnerOptions options) => AgentExecutables.Find(cli, options);

        public Dictionary<string, string> BaseEnvironment(StepSpec spec, string workspace) => StepEnvironment.For(spec, workspace);

        public Task<int> RunAsync(StepSpec spec, string workspace, ProcessCommand command, ProcessIo io, TimeSpan killGrace, CancellationToken ct) =>
            SessionProcess.RunAsync(command, io, killGrace, ct);
    }
}
