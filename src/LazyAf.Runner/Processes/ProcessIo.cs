namespace LazyAf.Runner.Processes;

/// <summary>What to do with a program's standard streams; each runs until its stream ends.</summary>
/// <param name="Stdout">Reads its standard output.</param>
/// <param name="Stderr">Reads its standard error.</param>
/// <param name="Stdin">Writes its standard input, and closes it when done.</param>
public sealed record ProcessIo(Func<Stream, Task> Stdout, Func<Stream, Task> Stderr, Func<StreamWriter, Task> Stdin);
