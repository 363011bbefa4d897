namespace LazyAf.Runner.Agents;

/// <summary>Finds an agent CLI's program: the runner's configured path, else its name on the PATH.</summary>
internal static class AgentExecutables
{
    public static string? Find(IAgentCli cli, AgentRunnerOptions options)
    {
        if (options.Executables.TryGetValue(cli.Kind, out var configured))
            return File.Exists(configured) ? Path.GetFullPath(configured) : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, cli.Executable))
            .FirstOrDefault(File.Exists);
    }
}
