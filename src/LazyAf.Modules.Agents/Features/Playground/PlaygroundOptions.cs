using System.ComponentModel.DataAnnotations;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>The agent playground's settings (<c>Playground:*</c>).</summary>
internal sealed class PlaygroundOptions
{
    public const string Section = "Playground";

    /// <summary>When a run's agent is killed unless the run asks for another timeout (<c>Playground:TimeoutSeconds</c>).</summary>
    [Range(1, StartPlaygroundRunRequest.MaxTimeoutSeconds, ErrorMessage = "must be 1 to 86400 (seconds)")]
    public int TimeoutSeconds { get; set; } = 1800;
}
