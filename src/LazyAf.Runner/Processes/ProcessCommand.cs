namespace LazyAf.Runner.Processes;

/// <summary>A program to run. Arguments are passed as they are, never through a shell string, so nothing in them is re-parsed.</summary>
/// <param name="Program">The program, found on the PATH.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="WorkingDirectory">Where it runs.</param>
/// <param name="Environment">Its whole environment (start from <see cref="InheritedEnvironment"/>).</param>
/// <param name="StdoutAs">The log stream its standard output goes to.</param>
/// <param name="StderrAs">The log stream its standard error goes to.</param>
public sealed record ProcessCommand(
    string Program,
    IReadOnlyList<string> Arguments,
    string WorkingDirectory,
    IReadOnlyDictionary<string, string> Environment,
    LogStream StdoutAs = LogStream.Stdout,
    LogStream StderrAs = LogStream.Stderr)
{
    /// <summary>A copy of this process's environment.</summary>
    public static Dictionary<string, string> InheritedEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        return environment;
    }
}
