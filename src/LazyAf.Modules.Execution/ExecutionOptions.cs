using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LazyAf.Kernel;
using LazyAf.Modules.Workspaces.Contracts;
using LazyAf.Runner;
using LazyAf.Runner.Docker;
using LazyAf.Runner.Processes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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

/// <summary>
/// Steps run as <c>Execution:RunAs</c> can get into their workspaces: the root is outside the data directory (the
/// owner's alone, 0700) and every directory above it lets the user through. Checked at start-up, not at each step.
/// </summary>
internal sealed class StepUserReachRule(IServiceProvider services, LazyAfOptions lazyaf) : IValidateOptions<ExecutionOptions>
{
    public ValidateOptionsResult Validate(string? name, ExecutionOptions options)
    {
        // An unknown user or a host that cannot switch is the [StepUser] rule's line.
        if (string.IsNullOrEmpty(options.RunAs) || StepContainment.CannotRunAs(options.RunAs) is not null || UnixUser.Find(options.RunAs) is not { } user)
            return ValidateOptionsResult.Success;
        // Looked up only now: the root comes from the Workspaces settings, whose own mistakes are their lines.
        var workspaces = services.GetRequiredService<WorkspacesRoot>();
        var setting = $"setting {ExecutionOptions.Section}:{nameof(ExecutionOptions.RunAs)}: '{user.Name}'";
        var dataDir = Path.GetFullPath(lazyaf.DataDir).TrimEnd('/') + "/";
        if (Path.GetFullPath(workspaces.Path).StartsWith(dataDir, StringComparison.Ordinal))
            return ValidateOptionsResult.Fail($"{setting} cannot reach workspaces in the data directory {lazyaf.DataDir}, which is the owner's alone; set Workspaces:Root to a directory outside it");
        Directory.CreateDirectory(workspaces.Path);
        return StepContainment.CannotReach(user, workspaces.Path) is { } reason
            ? ValidateOptionsResult.Fail($"{setting} cannot reach the workspaces in {workspaces.Path}: {reason}")
            : ValidateOptionsResult.Success;
    }
}

/// <summary>What a docker step's container may use and be (<c>Execution:Docker:*</c>), checked at start-up.</summary>
internal sealed class DockerSettings
{
    /// <summary>The memory cap of a container, as Docker's <c>--memory</c> takes it (<c>Execution:Docker:Memory</c>, <c>2g</c>).</summary>
    [DockerMemory]
    public string Memory { get; set; } = "2g";

    /// <summary>The CPU cap of a container, as Docker's <c>--cpus</c> takes it (<c>Execution:Docker:Cpus</c>, 2 or the machine's cores if fewer).</summary>
    [DockerCpus]
    public double Cpus { get; set; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>The most processes and threads of a container (<c>Execution:Docker:PidsLimit</c>, 512).</summary>
    [Range(8, 4_194_304, ErrorMessage = "must be 8 to 4194304 (processes)")]
    public long PidsLimit { get; set; } = 512;

    /// <summary>
    /// The image of a docker step's sidecar debug terminal (<c>Execution:Docker:SidecarImage</c>, <c>alpine</c>): it
    /// must be in the local engine, as nothing is pulled.
    /// </summary>
    [Required(ErrorMessage = "must not be empty")]
    public string SidecarImage { get; set; } = "alpine";

    /// <summary>
    /// Repos (by name or id) whose docker steps may declare <c>privileged</c> or <c>docker_socket</c>
    /// (<c>Execution:Docker:PrivilegedRepos</c>, a list); none by default.
    /// </summary>
    public string[]? PrivilegedRepos { get; set; }

    /// <summary>The runner's options for these caps, on the engine at <paramref name="endpoint"/> (its default when null).</summary>
    public DockerStepOptions StepOptions(Uri? endpoint) => (endpoint is null ? new DockerStepOptions() : new DockerStepOptions { Endpoint = endpoint }) with
    {
        Memory = ResourceLimits.MemoryBytes(Memory),
        Cpus = Cpus,
        PidsLimit = PidsLimit,
        SidecarImage = SidecarImage,
    };

    /// <summary>Whether the repo may run privileged docker steps or give them the engine's socket.</summary>
    public bool MayEscalate(string repoId, string repoName) =>
        (PrivilegedRepos ?? []).Any(repo => string.Equals(repo, repoName, StringComparison.Ordinal) || string.Equals(repo, repoId, StringComparison.Ordinal));
}

/// <summary>A size Docker's <c>--memory</c> takes, and at least the engine's minimum of 6 MiB.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DockerMemoryAttribute : ValidationAttribute
{
    private const long EngineMinimum = 6L << 20;

    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext)
    {
        try
        {
            if (ResourceLimits.MemoryBytes(value as string) is >= EngineMinimum)
                return ValidationResult.Success;
        }
        catch (StepFailedException)
        {
        }
        return new ValidationResult("must be a size like 512m or 2g, at least 6m");
    }
}

/// <summary>A CPU count above 0 and at most this machine's cores: the engine refuses more.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class DockerCpusAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is double cpus && cpus >= 0.01 && cpus <= Environment.ProcessorCount
            ? ValidationResult.Success
            : new ValidationResult($"must be 0.01 to {Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)} (this machine's cores)");
}
