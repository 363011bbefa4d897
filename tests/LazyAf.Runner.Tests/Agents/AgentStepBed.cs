using System.Text;
using LazyAf.Runner.Agents;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>
/// One agent step run through <see cref="AgentStepKind"/> by a real agent CLI (pinned in <c>tools/agent-clis</c>,
/// see <see cref="LazyAf.Testing.Models.AgentClis"/>) in a temp workspace, with what it shipped on each log stream kept.
/// </summary>
internal sealed class AgentStepBed : IStepOutput, IDisposable
{
    private readonly TempDir _dir = new("lazyaf-agent");
    private readonly List<(LogStream Stream, byte[] Data)> _output = [];

    public AgentStepBed() => Directory.CreateDirectory(Path.Combine(Workspace, ".lazyaf-context"));

    public string Workspace => _dir.Combine("workspace");

    /// <summary>A directory of this run for the CLI's own state (its config home).</summary>
    public string StateDir(string name) => Directory.CreateDirectory(_dir.Combine(name)).FullName;

    /// <summary>The typed events the step shipped, in order.</summary>
    public IReadOnlyList<AgentEvent> Events => [.. Text(LogStream.Agent).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => AgentEventJson.FromLine(l)!)];

    public static StepSpec Spec(AgentStepDefinition step, string description = "Write hello.txt with a friendly greeting.") => new(
        ExecutionId: "exec-" + Guid.NewGuid().ToString("N")[..8],
        Repo: new RepoCheckout("http://127.0.0.1:1/unused.git", Token: null, BaseBranch: "main", BaseCommit: null, WorkBranch: "lazyaf/card-agent"),
        Step: step,
        Env: new Dictionary<string, string>(),
        Secrets: new Dictionary<string, string>(),
        Timeout: TimeSpan.FromMinutes(2),
        Context: new StepContext("Add a greeting", description, []),
        Commit: new CommitSettings("Card 1: add a greeting", "LazyAF Bot", "bot@lazyaf.test"));

    /// <summary>Runs the step; a hung CLI fails the test after <paramref name="limit"/> instead of hanging it.</summary>
    public async Task<int> RunAsync(AgentStepKind kind, StepSpec spec, TimeSpan? limit = null)
    {
        using var timeout = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(90));
        return await kind.RunAsync(spec, Workspace, this, timeout.Token);
    }

    /// <summary>Runs a step that must fail: its failure, and how long the CLI took to give up.</summary>
    public async Task<(StepFailedException Failure, TimeSpan Took)> FailsAsync(AgentStepKind kind, StepSpec spec)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var failure = await Assert.ThrowsAsync<StepFailedException>(() => RunAsync(kind, spec));
        return (failure, clock.Elapsed);
    }

    public string Text(LogStream stream)
    {
        lock (_output)
            return string.Concat(_output.Where(o => o.Stream == stream).Select(o => Encoding.UTF8.GetString(o.Data)));
    }

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        lock (_output)
            _output.Add((stream, data.ToArray()));
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _dir.Dispose();
}
