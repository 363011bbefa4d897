namespace LazyAf.Runner.Processes;

/// <summary>How the processes of a native step are held together, so that stopping the step stops all of them.</summary>
public enum ContainmentMode
{
    /// <summary>A cgroup when this machine lets the runner make one, else a process group.</summary>
    Auto,

    /// <summary>A cgroup (v2) per step: nothing the step starts can leave it, <c>setsid</c> and double forks included.</summary>
    Cgroup,

    /// <summary>
    /// A process group whose leader dies with the runner (<c>PR_SET_PDEATHSIG</c>), and a marker in every process's
    /// environment by which stragglers that left the group are found.
    /// </summary>
    ProcessGroup,
}
