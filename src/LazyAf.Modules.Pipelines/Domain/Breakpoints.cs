using System.Text.Json;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>A debug re-run's breakpoints as <see cref="RunRow.Breakpoints"/> stores them: a JSON array of step ids.</summary>
internal static class Breakpoints
{
    public static IReadOnlyList<string> Of(RunRow run) =>
        run.Breakpoints is { } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];

    public static string? Text(IEnumerable<string> steps) => steps.ToArray() is { Length: > 0 } ids ? JsonSerializer.Serialize(ids) : null;
}
