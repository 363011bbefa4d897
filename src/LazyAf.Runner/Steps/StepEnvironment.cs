using LazyAf.Runner.Processes;

namespace LazyAf.Runner.Steps;

/// <summary>The environment a step (and its set-up script) runs with: chosen, never the host's whole environment.</summary>
public static class StepEnvironment
{
    /// <summary>
    /// The variables a step gets from the process that runs it, when set there: where programs are, whose home, the
    /// locale, the time zone, the temp directory and the terminal. Nothing else of the host's environment (its
    /// tokens, its cloud credentials) reaches a step unless the step or the host's settings name it.
    /// </summary>
    public static IReadOnlyList<string> Base { get; } = ["PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TERM"];

    /// <summary>
    /// <see cref="Base"/> from this process, then what every CI step can rely on (<c>CI</c>, <c>LAZYAF_*</c>), then
    /// <see cref="StepSpec.Env"/>, then <see cref="StepSpec.Secrets"/>: later entries win.
    /// </summary>
    public static Dictionary<string, string> For(StepSpec spec, string workspace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var inherited = ProcessCommand.InheritedEnvironment();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in Base)
        {
            if (inherited.TryGetValue(name, out var value))
                environment[name] = value;
        }
        environment["CI"] = "true";
        environment["LAZYAF"] = "true";
        environment["LAZYAF_EXECUTION_ID"] = spec.ExecutionId;
        environment["LAZYAF_WORK_BRANCH"] = spec.Repo.WorkBranch;
        environment["LAZYAF_WORKSPACE"] = workspace;
        foreach (var (key, value) in spec.Env)
            environment[key] = value;
        foreach (var (key, value) in spec.Secrets)
            environment[key] = value;
        return environment;
    }
}
