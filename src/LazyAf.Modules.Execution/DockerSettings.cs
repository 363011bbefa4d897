using System.ComponentModel.DataAnnotations;
using System.Globalization;
using LazyAf.Runner;
using LazyAf.Runner.Docker;

namespace LazyAf.Modules.Execution;

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
