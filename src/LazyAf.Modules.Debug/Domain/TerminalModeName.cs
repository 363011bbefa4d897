using LazyAf.Modules.Execution.Contracts;

namespace LazyAf.Modules.Debug.Domain;

/// <summary>A debug terminal's mode as the API names it: <c>shell</c> (also when not given) or <c>sidecar</c>.</summary>
internal static class TerminalModeName
{
    public const string Problem = "mode must be shell (the paused step's environment, the default) or sidecar (a helper with the step's workspace and none of its variables).";

    /// <summary>The mode <paramref name="name"/> names; null when it names none.</summary>
    public static DebugTerminalMode? Parse(string? name) => name switch
    {
        null or "shell" => DebugTerminalMode.Shell,
        "sidecar" => DebugTerminalMode.Sidecar,
        _ => null,
    };

    public static string Of(DebugTerminalMode mode) => mode == DebugTerminalMode.Sidecar ? "sidecar" : "shell";
}
