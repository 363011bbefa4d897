using LazyAf.Runner.Processes;

namespace LazyAf.Runner.Steps;

/// <summary>The environment a step (and its set-up script) runs with.</summary>
public static class StepEnvironment
{
    /// <summary>
    /// This process's environment without a LazyAF token (a host started from the owner's shell may have one), then
    /// what every CI step can rely on (<c>CI</c>, <c>LAZYAF_*</c>), then <see cref="StepSpec.Env"/>, then
    /// <see cref="StepSpec.Secrets"/>: later entries win.
    /// </summary>
    public static Dictionary<string, string> For(StepSpec spec, string workspace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var environment = ProcessCommand.InheritedEnvironment();
        environment.Remove("LAZYAF_TOKEN");
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
