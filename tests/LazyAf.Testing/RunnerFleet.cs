namespace LazyAf.Testing;

/// <summary>
/// A real host with a runner endpoint (<see cref="RunnerHost"/>), a temp dir, and the agent processes a test starts
/// against it; disposing stops the agents, then the host.
/// </summary>
public sealed class RunnerFleet : IAsyncDisposable
{
    private readonly List<AgentProcess> _agents = [];

    /// <summary>Starts the host with <paramref name="settings"/>; <paramref name="name"/> prefixes the temp dir.</summary>
    public RunnerFleet(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        Work = new TempDir(name);
        Host = RunnerHost.Start(settings);
    }

    public RunnerHost Host { get; }

    public TempDir Work { get; }

    /// <summary>Every agent's log so far, one after another, for a failure's message.</summary>
    public string Logs => string.Join('\n', _agents.Select((a, i) => $"--- agent {i} (pid {a.Id}):\n{a.Log}"));

    /// <summary>Starts an agent (see <see cref="AgentProcess.Start"/>), stopped when the fleet is disposed.</summary>
    public AgentProcess Start(IEnumerable<string> args, string[]? program = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var agent = AgentProcess.Start(args, program, environment);
        _agents.Add(agent);
        return agent;
    }

    /// <summary>Waits for <paramref name="waiting"/>; a timeout's message gets the agents' logs.</summary>
    public async Task WithLogs(Task waiting) => await WithLogs(Completed(waiting));

    private static async Task<bool> Completed(Task task)
    {
        await task;
        return true;
    }

    /// <summary>Waits for <paramref name="waiting"/>; a timeout's message gets the agents' logs.</summary>
    public async Task<T> WithLogs<T>(Task<T> waiting)
    {
        ArgumentNullException.ThrowIfNull(waiting);
        try
        {
            return await waiting;
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}\n{Logs}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var agent in _agents)
            await agent.DisposeAsync();
        await Host.DisposeAsync();
        Work.Dispose();
    }
}
