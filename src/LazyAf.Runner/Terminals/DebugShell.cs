namespace LazyAf.Runner.Terminals;

/// <summary>The program a debug terminal runs, where, and with which variables.</summary>
/// <param name="Program">The program and its arguments (<c>bash --norc -i</c> for a step run as a process).</param>
/// <param name="WorkingDirectory">Where it starts, on this machine.</param>
/// <param name="Environment">Exactly the variables it gets.</param>
public sealed record DebugShell(IReadOnlyList<string> Program, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>
    /// How this shell runs one command instead of being interactive (its program and <see cref="Stop"/>; the place and
    /// variables stay this shell's); without it, <see cref="Program"/> followed by <c>-c COMMAND</c>.
    /// </summary>
    public Func<string, DebugShell>? Command { get; init; }

    /// <summary>A program run once the shell was killed, for what it started outside its process group (a container).</summary>
    public IReadOnlyList<string>? Stop { get; init; }

    /// <summary>
    /// An interactive bash in the step's working directory with its variables — exactly the step's: no ~/.bashrc, which
    /// would change them (a version manager's PATH) and can stall the prompt, as the step's own bash never reads it.
    /// </summary>
    public static DebugShell Bash(PreparedStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        return new DebugShell(["bash", "--norc", "-i"], step.WorkingDirectory, step.Environment)
        {
            Command = command => new DebugShell(["bash", "-c", command], step.WorkingDirectory, step.Environment),
        };
    }

    /// <summary>This shell running <paramref name="command"/> non-interactively (<c>sh -c</c>, or <c>bash -c</c> where the shell is bash), same place and variables.</summary>
    public DebugShell Running(string command) =>
        (Command?.Invoke(command) ?? this with { Program = [.. Program, "-c", command] }) with
        {
            WorkingDirectory = WorkingDirectory, Environment = Environment, Command = null,
        };
}

/// <summary>A step kind whose steps do not run as processes here (in a container), so its debug shell is its own.</summary>
public interface IDebugShellStepKind
{
    /// <summary>The shell for a debug terminal into <paramref name="spec"/>'s step, whose workspace is <paramref name="workspace"/> and whose place is <paramref name="step"/>.</summary>
    DebugShell DebugShell(StepSpec spec, string workspace, PreparedStep step);
}
