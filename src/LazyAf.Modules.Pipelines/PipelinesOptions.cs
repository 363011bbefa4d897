using System.ComponentModel.DataAnnotations;

namespace LazyAf.Modules.Pipelines;

/// <summary>The Pipelines module's settings (<c>Pipelines:*</c>).</summary>
internal sealed class PipelinesOptions
{
    public const string Section = "Pipelines";

    /// <summary>A step's timeout unless its config sets <c>timeout_seconds</c> (<c>Pipelines:StepTimeoutSeconds</c>).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1 (seconds)")]
    public int StepTimeoutSeconds { get; set; } = 3600;
}
