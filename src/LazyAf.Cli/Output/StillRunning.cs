namespace LazyAf.Cli.Output;

/// <summary>
/// What a follow (<c>-f</c>) says when the user stops it (Ctrl-C): the work goes on in LazyAF, and the one command that stops it.
/// </summary>
internal static class StillRunning
{
    public static CliFailure Failure(string what, string cancelCommand) =>
        new($"stopped following; {what} keeps running in LazyAF (stop it with: {cancelCommand})");
}
