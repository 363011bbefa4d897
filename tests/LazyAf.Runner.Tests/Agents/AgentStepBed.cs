using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using LazyAf.Runner.Agents;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests.Agents;

/// <summary>
/// One agent step run through <see cref="AgentStepKind"/> by a real agent CLI (pinned in <c>tools/agent-clis</c>,
/// installed from npm on first use) in a temp workspace, with what it shipped on each log stream kept.
/// </summary>
internal sealed class AgentStepBed : IStepOutput, IDisposable
{
    private static readonly SemaphoreSlim Installing = new(1, 1);
    private readonly TempDir _dir = new("lazyaf-agent");
    private readonly List<(LogStream Stream, byte[] Data)> _output = [];

    public AgentStepBed() => Directory.CreateDirectory(Path.Combine(Workspace, ".lazyaf-context"));

    public string Workspace => _dir.Combine("workspace");

    /// <summary>A directory of this run for the CLI's own state (its config home).</summary>
    public string StateDir(string name) => Directory.CreateDirectory(_dir.Combine(name)).FullName;

    /// <summary>The typed events the step shipped, in order.</summary>
    public IReadOnlyList<AgentEvent> Events => [.. Text(LogStream.Agent).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => AgentEventJson.FromLine(l)!)];

    /// <summary>The path of an agent CLI's program, after installing the pinned CLIs when they are missing.</summary>
    public static async Task<string> CliAsync(string name)
    {
        var tools = Path.Combine(RepoRoot(), "tools", "agent-clis");
        var program = Path.Combine(tools, "node_modules", ".bin", name);
        await Installing.WaitAsync();
        try
        {
            if (!File.Exists(program))
                await NpmInstallAsync(tools);
        }
        finally
        {
            Installing.Release();
        }
        return program;
    }

    public static StepSpec Spec(Dictionary<string, string> settings, string description = "Write hello.txt with a friendly greeting.") => new(
        ExecutionId: "exec-" + Guid.NewGuid().ToString("N")[..8],
        Repo: new RepoCheckout("http://127.0.0.1:1/unused.git", Token: null, BaseBranch: "main", BaseCommit: null, WorkBranch: "lazyaf/card-agent"),
        Step: new StepDefinition("agent", Command: null, Image: null, WorkingDir: null, Settings: settings),
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

    private static async Task NpmInstallAsync(string directory)
    {
        using var npm = Process.Start(new ProcessStartInfo("npm", ["install", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = npm.StandardOutput.ReadToEndAsync();
        var errors = npm.StandardError.ReadToEndAsync();
        await npm.WaitForExitAsync();
        if (npm.ExitCode != 0)
            throw new InvalidOperationException($"npm install in {directory} failed: {await output}{await errors}");
    }

    private static string RepoRoot([CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", ".."));
}
