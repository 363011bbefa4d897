using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Cards.Domain;

/// <summary>A card's step — its <c>step_type</c>, <c>step_config</c> and <c>requires</c> — read and checked by Execution's <see cref="StepSchema"/>.</summary>
internal static class CardSteps
{
    /// <summary>The card fields the step's errors name.</summary>
    public static readonly StepFieldNames Fields = new("step_type", "step_config", "requires");

    public static StepRead Read(string? stepType, JsonElement stepConfig, IReadOnlyList<string>? requires) =>
        StepSchema.Read(stepType, stepConfig, requires, Fields);

    /// <summary>The step of a stored card.</summary>
    public static StepRead Read(CardRow card)
    {
        using var config = JsonDocument.Parse(card.StepConfig);
        return Read(card.StepType, config.RootElement, RequiresOf(card));
    }

    public static IReadOnlyList<string> RequiresOf(CardRow card) => JsonSerializer.Deserialize<string[]>(card.Requires) ?? [];
}
