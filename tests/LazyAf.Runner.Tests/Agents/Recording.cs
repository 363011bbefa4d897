using LazyAf.Runner.Agents;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>Output of a real agent CLI, recorded against the scripted model server and kept as test data.</summary>
internal static class Recording
{
    public static string[] Lines(string agent, string name) =>
        File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Agents", "Recordings", agent, name));

    /// <summary>Every event the parser makes of the recording, in order.</summary>
    public static List<AgentEvent> Parse(IAgentOutputParser parser, string agent, string name) =>
        [.. Lines(agent, name).SelectMany(parser.Parse)];
}
