namespace LazyAf.Cli;

/// <summary>
/// A failure the user can act on. Its message is the one line the CLI prints after <c>lazyaf: </c>,
/// so it says what went wrong in the user's terms, never how the code got there.
/// </summary>
internal sealed class CliFailure(string message) : Exception(message);
