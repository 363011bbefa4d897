using System.Diagnostics;
using System.Text;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Runner.Docker.Tests;

/// <summary>
/// One test's world, like the runner tests' bed: a seeded LazyAF repo on the real host, a workspace, and a docker
/// step spec whose work branch is the test's own, run by the real <see cref="StepRunner"/> with
/// <see cref="DockerStepKind"/> on the real engine. Disposing cancels runs still going.
/// </summary>
internal sealed class DockerTestBed : IAsyncDisposable
{
    /// <summary>Made by <c>scripts/docker-test-image</c> (which <c>scripts/test</c> runs).</summary>
    public const string Image = "lazyaf/busybox:test";

    private readonly TempDir _work = new("lazyaf-docker");
    private readonly CancellationTokenSource _disposing = new();
    private readonly List<Task> _runs = [];

    private DockerTestBed(LazyAfHost host) => Host = host;

    public LazyAfHost Host { get; }

    public SeededRepo Repo { get; private set; } = null!;

    public string Workspace => _work.Combine("workspace");

    public string WorkBranch { get; } = $"lazyaf/card-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>What the host's executor would give the runner: a step token for this repo and work branch.</summary>
    public StepToken Token { get; private set; } = null!;

    public static async Task<DockerTestBed> CreateAsync(LazyAfHost host)
    {
        var bed = new DockerTestBed(host);
        bed.Repo = await SeededRepo.CreateAsync(host, bed._work, "docker-" + Guid.NewGuid().ToString("N")[..8]);
        bed.Token = host.Services.GetRequiredService<IStepTokens>().Issue("test-run", bed.Repo.Id, bed.WorkBranch, TimeSpan.FromHours(1));
        return bed;
    }

    public StepSpec Docker(string command, string image = Image, string? memory = null, double? cpus = null,
        Dictionary<string, string>? env = null, Dictionary<string, string>? secrets = null, TimeSpan? timeout = null,
        bool privileged = false, bool dockerSocket = false, string? runId = null) => new(
        ExecutionId: "exec-" + Guid.NewGuid().ToString("N")[..8],
        Repo: new RepoCheckout(Host.GitUrl(Repo.Id), Token: Token.Value, BaseBranch: "main", BaseCommit: null, WorkBranch: WorkBranch),
        Step: new DockerStepDefinition(image, command) { Memory = memory, Cpus = cpus, Privileged = privileged, DockerSocket = dockerSocket },
        Env: env ?? [],
        Secrets: secrets ?? [],
        Timeout: timeout ?? TimeSpan.FromSeconds(30),
        Context: new StepContext("Add a greeting", "Write hello.txt in a container.", []),
        Commit: new CommitSettings("Card 1: add a greeting", "LazyAF Bot", "bot@lazyaf.test"))
    {
        RunId = runId,
    };

    public Task<StepResult> RunAsync(StepSpec spec, ILogSink sink, DockerStepOptions? options = null, CancellationToken ct = default)
    {
        var runner = new StepRunner([new DockerStepKind(options ?? new DockerStepOptions())]);
        var run = RunUntilDisposedAsync(runner, spec, sink, ct);
        _runs.Add(run);
        return run;
    }

    /// <summary>Runs git in the seeded clone after fetching, so <c>origin/…</c> shows what the runner pushed.</summary>
    public async Task<string> RemoteGitAsync(params string[] args)
    {
        await Repo.GitAsync("fetch", "--quiet", "--prune", "origin");
        return await Repo.GitAsync(args);
    }

    /// <summary>Ids of the containers (any state) labelled with the execution, from the docker CLI.</summary>
    public static async Task<string[]> ContainersOfAsync(string executionId) =>
        (await DockerCliAsync("ps", "-a", "-q", "--filter", $"label={DockerStepKind.ExecutionLabel}={executionId}"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Whether the engine can start a privileged container at all (one that is itself in a sandbox may not).</summary>
    public static async Task<bool> EngineRunsPrivilegedAsync()
    {
        try
        {
            await DockerCliAsync("run", "--rm", "--privileged", Image, "true");
            return true;
        }
        catch (InvalidOperationException e) when (e.Message.Contains("caps", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>Whether the engine has a network of this name, from the docker CLI.</summary>
    public static async Task<bool> NetworkExistsAsync(string name) =>
        (await DockerCliAsync("network", "ls", "--format", "{{.Name}}")).Split('\n').Contains(name, StringComparer.Ordinal);

    public static async Task<string> DockerCliAsync(params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0
            ? (await output).Trim()
            : throw new InvalidOperationException($"docker {string.Join(' ', args)} failed ({process.ExitCode}): {await error}");
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        await Task.WhenAll(_runs);
        _disposing.Dispose();
        Token.Dispose();
        _work.Dispose();
    }

    private async Task<StepResult> RunUntilDisposedAsync(StepRunner runner, StepSpec spec, ILogSink sink, CancellationToken ct)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposing.Token);
        return await runner.RunAsync(spec, Workspace, sink, either.Token);
    }
}

/// <summary>Keeps every chunk a run ships, as a log store would.</summary>
internal sealed class RecordingSink : ILogSink
{
    private readonly List<LogChunk> _chunks = [];

    public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
    {
        lock (_chunks)
            _chunks.Add(chunk);
        return ValueTask.CompletedTask;
    }

    /// <summary>Every chunk's seq, in the order they came.</summary>
    public long[] Seqs()
    {
        lock (_chunks)
            return [.. _chunks.Select(c => c.Seq)];
    }

    /// <summary>All text of one stream, in sequence order.</summary>
    public string Text(LogStream stream)
    {
        lock (_chunks)
            return string.Concat(_chunks.Where(c => c.Stream == stream).OrderBy(c => c.Seq).Select(c => Encoding.UTF8.GetString(c.Data.Span)));
    }
}
