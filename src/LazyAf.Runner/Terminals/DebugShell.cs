namespace LazyAf.Runner.Terminals;

/// <summary>The program a debug terminal runs, where, and with which variables.</summary>
/// <param name="Program">The program and its arguments (<c>bash --norc -i</c> for a step run as a process).</param>
/// <param name="WorkingDirectory">Where it starts, on this machine.</param>
/// <param name="Environment">Exactly the variables it gets.</param>
public sealed record DebugShell(IReadOnlyList<string> Program, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// The variables a sidecar takes from the step's environment (and the docker CLI of a container's shell): what a
    /// shell needs to find and run this machine's programs, none of the step's own.
    /// </summary>
    public static IReadOnlyList<string> MachineVariables { get; } = ["PATH", "HOME", "USER", "LANG", "TZ", "TERM"];

    /// <summary>
    /// How this shell runs one command instead of being interactive (its program and <see cref="Stop"/>; the place and
    /// variables stay this shell's); without it, <see cref="Program"/> followed by <c>-c COMMAND</c>.
    /// </summary>
    public Func<string, DebugShell>? Command { get; init; }

    /// <summary>A program run once the shell was killed, for what it started outside its process group (a container).</summary>
    public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>
    /// What else a resize of the terminal (columns, rows) is told to, after the shell's SIGWINCH: a container's terminal,
    /// which its docker CLI only follows from a SIGWINCH it is listening for, and it is not yet in the moment after the
    /// container started. Best effort.
    /// </summary>
    public Func<ushort, ushort, CancellationToken, Task>? Resized { get; init; }

    /// <summary>
    /// An interactive bash in the step's working directory with its variables — exactly the step's: no ~/.bashrc, which
    /// would change them (a version manager's PATH) and can stall the prompt, as the step's own bash never reads it.
    /// </summary>
    public static DebugShell Bash(PreparedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return BashIn(step.WorkingDirectory, step.Environment);
    }

    /// <summary>
    /// The sidecar of a step run as a process: an interactive bash (no ~/.bashrc, as <see cref="Bash"/>) at the root of
    /// <paramref name="workspace"/> with only <see cref="MachineVariables"/> of the step's environment, <c>LAZYAF_WORKSPACE</c>
    /// and <c>LAZYAF_DEBUG=sidecar</c>: it sees the step's files, not its variables or secrets.
    /// </summary>
    public static DebugShell Sidecar(PreparedStep step, string workspace)
    {
        ArgumentNullException.ThrowIfNull(step);
        var variables = MachineOf(step);
        variables["LAZYAF_WORKSPACE"] = workspace;
        variables["LAZYAF_DEBUG"] = "sidecar";
        return BashIn(workspace, variables);
    }

    /// <summary><see cref="MachineVariables"/> of the step's environment, those it has.</summary>
    public static Dictionary<string, string> MachineOf(PreparedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in MachineVariables)
        {
            if (step.Environment.TryGetValue(name, out var value))
                variables[name] = value;
        }
        return variables;
    }

    /// <summary>This shell running <paramref name="command"/> non-interactively (<c>sh -c</c>, or <c>bash -c</c> where the shell is bash), same place and variables.</summary>
    public DebugShell Running(string command) =>
        (Command?.Invoke(command) ?? this with { Program = [.. Program, "-c", command] }) with
        {
            WorkingDirectory = WorkingDirectory, Environment = Environment, Command = null, Resized = null,
        };

    private static DebugShell BashIn(string directory, IReadOnlyDictionary<string, string> variables) =>
        new(["bash", "--norc", "-i"], directory, variables)
        {
            Command = command => new DebugShell(["bash", "-c", command], directory, variables),
        };
}

/// <summary>A step kind whose steps do not run as processes here (in a container), so its debug shells are its own.</summary>
public interface IDebugShellStepKind
{
    /// <summary>The shell for a debug terminal into <paramref name="spec"/>'s step, whose workspace is <paramref name="workspace"/> and whose place is <paramref name="step"/>.</summary>
    DebugShell DebugShell(StepSpec spec, string workspace, PreparedStep step);

    /// <summary>
    /// The sidecar for a debug terminal beside <paramref name="spec"/>'s step: a helper with <paramref name="workspace"/>
    /// (<paramref name="step"/>'s) mounted, none of the step's variables or secrets.
    /// </summary>
    DebugShell SidecarShell(StepSpec spec, string workspace, PreparedStep step);

    /// <summary>
    /// Removes what earlier debug shells of <paramref name="spec"/>'s pipeline run (of its execution outside a run) left
    /// running: a command's container whose host died mid-command. Called as a new debug environment of it is made, when
    /// no earlier one holds a terminal any more. Best effort: nothing left, or no engine, is fine.
    /// </summary>
    Task RemoveLeftoverShellsAsync(StepSpec spec, CancellationToken ct);
}
