using System.ComponentModel.DataAnnotations;
using LazyAf.Runner.Processes;

namespace LazyAf.Modules.Execution;

/// <summary>How this host runs steps itself (<c>Execution:*</c>).</summary>
internal sealed class ExecutionOptions
{
    public const string Section = "Execution";

    /// <summary>Steps the local executor runs at once (<c>Execution:LocalConcurrency</c>, default: the number of cores).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1")]
    public int LocalConcurrency { get; set; } = Environment.ProcessorCount;

    /// <summary>How much of one execution's output is stored; the rest is dropped after a marker (<c>Execution:MaxLogBytes</c>).</summary>
    [Range(1, long.MaxValue, ErrorMessage = "must be at least 1 (bytes)")]
    public long MaxLogBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The author of step commits (<c>Execution:CommitAuthorName</c>).</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string CommitAuthorName { get; set; } = "LazyAF";

    /// <summary>The author's e-mail (<c>Execution:CommitAuthorEmail</c>).</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string CommitAuthorEmail { get; set; } = "lazyaf@localhost";

    /// <summary>The runner labels of the host's own executor (<c>Execution:LocalLabels</c>, a list); unset: this machine's os and arch.</summary>
    public string[]? LocalLabels { get; set; }

    /// <summary>
    /// Names of this host's environment variables every step gets (<c>Execution:PassEnvironment</c>, a list, e.g. a proxy);
    /// beyond these and a documented base (<c>PATH</c>, <c>HOME</c>, the locale) a step gets none of the host's environment.
    /// </summary>
    public string[]? PassEnvironment { get; set; }

    /// <summary>
    /// How each native step's processes are held together, so that cancel, timeout and shutdown kill all of them
    /// (<c>Execution:Containment</c>: <c>Auto</c>, the default, takes a cgroup where this machine allows it, else a process group).
    /// </summary>
    [ContainmentAvailable]
    public ContainmentMode Containment { get; set; } = ContainmentMode.Auto;

    /// <summary>The unprivileged user native steps run as (<c>Execution:RunAs</c>, needs the host to run as root); unset: the host's own user.</summary>
    [StepUser]
    public string? RunAs { get; set; }

    /// <summary>The Docker engine's API (<c>Execution:DockerEndpoint</c>); unset: <c>unix:///var/run/docker.sock</c>.</summary>
    public Uri? DockerEndpoint { get; set; }

    /// <summary>Docker steps' caps and who may run them privileged (<c>Execution:Docker:*</c>).</summary>
    public DockerSettings Docker { get; set; } = new();
}

/// <summary>A containment mode this machine can give steps (a forced <c>Cgroup</c> needs a writable cgroup2 file system).</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ContainmentAvailableAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is ContainmentMode mode && StepContainment.Unavailable(mode) is { } reason
            ? new ValidationResult($"cannot be had on this machine: {reason}")
            : ValidationResult.Success;
}

/// <summary>A user steps can be switched to: one this machine has, and a host running as root to switch.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class StepUserAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is string { Length: > 0 } user && StepContainment.CannotRunAs(user) is { } reason
            ? new ValidationResult(reason)
            : ValidationResult.Success;
}
