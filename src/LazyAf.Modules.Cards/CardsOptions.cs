using System.ComponentModel.DataAnnotations;

namespace LazyAf.Modules.Cards;

/// <summary>The Cards module's settings (<c>Cards:*</c>).</summary>
internal sealed class CardsOptions
{
    public const string Section = "Cards";

    /// <summary>A card step's timeout unless its <c>step_config.timeout_seconds</c> sets one (<c>Cards:StepTimeoutSeconds</c>).</summary>
    [Range(1, int.MaxValue, ErrorMessage = "must be at least 1 (seconds)")]
    public int StepTimeoutSeconds { get; set; } = 3600;
}
