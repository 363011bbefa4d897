using LazyAf.Modules.Access.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Runner.Tests;

/// <summary>
/// One test's world: a LazyAF repo seeded with a commit on main (the real git server), a workspace, and a
/// step spec whose work branch is the test's own. Runs the real <see cref="StepRunner"/> with the script kind;
/// disposing cancels runs still going, so a failed test leaves no step processes behind.
/// </summary>
public sealed class RunnerTestBed : IAsyncDisposable
{
    private readonly TempDir _work = new("lazyaf-runner");
    private readonly CancellationTokenSource _disposing = new();
    private readonly List<Task> _runs = [];

    private RunnerTestBed(LazyAfHost host) => Host = host;

    public LazyAfHost Host { get; }

    public SeededRepo Repo { get; private set; } = null!;

    public string Workspace => _work.Combine("workspace");

    public string WorkBranch { get; } = $"lazyaf/card-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>What the host's executor would give the runner: a step token for this repo and work branch.</summary>
    public StepToken Token { get; private set; } = null!;

    public static async Task<RunnerTestBed> CreateAsync(LazyAfHost host)
    {
        var bed = new RunnerTestBed(host);
        bed.Repo = await SeededRepo.CreateAsync(host, bed._work, "runner-" + Guid.NewGuid().ToString("N")[..8]);
        bed.Token = host.Services.GetRequiredService<IStepTokens>().Issue("test-run", bed.Repo.Id, bed.WorkBranch, TimeSpan.FromHours(1));
        return bed;
    }

    public string OtherWorkspace(string name) => _work.Combine(name);

    public StepSpec Script(string command, Dictionary<string, string>? secrets = null, TimeSpan? timeout = null) => new(
        ExecutionId: "exec-" + Guid.NewGuid().ToString("N")[..8],
        Repo: new RepoCheckout(Host.GitUrl(Repo.Id), Token: Token.Value, BaseBranch: "main", BaseCommit: null, WorkBranch: WorkBranch),
        Step: new ScriptStepDefinition(command),
        Env: new Dictionary<string, string>(),
        Secrets: secrets ?? [],
        Timeout: timeout ?? TimeSpan.FromSeconds(30),
        Context: new StepContext("Add a greeting", "Write hello.txt with a friendly greeting.", []),
        Commit: new CommitSettings("Card 1: add a greeting", "LazyAF Bot", "bot@lazyaf.test"));

    public Task<StepResult> RunAsync(StepSpec spec, ILogSink? sink = null, StepRunnerOptions? options = null, string? workspace = null, CancellationToken ct = default)
    {
        options ??= new StepRunnerOptions();
        var runner = new StepRunner([new Steps.ScriptStepKind(options.KillGrace)], options);
        var run = RunUntilDisposedAsync(runner, spec, workspace ?? Workspace, sink ?? new RecordingSink(), ct);
        _runs.Add(run);
        return run;
    }

    /// <summary>Runs git in the seeded clone after fetching, so <c>origin/…</c> shows what the runner pushed.</summary>
    public async Task<string> RemoteGitAsync(params string[] args)
    {
        await Repo.GitAsync("fetch", "--quiet", "--prune", "origin");
        return await Repo.GitAsync(args);
    }

    public async ValueTask DisposeAsync()
    {
        await _disposing.CancelAsync();
        await Task.WhenAll(_runs);
        _disposing.Dispose();
        Token.Dispose();
        _work.Dispose();
    }

    private async Task<StepResult> RunUntilDisposedAsync(StepRunner runner, StepSpec spec, string workspace, ILogSink sink, CancellationToken ct)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, _disposing.Token);
        return await runner.RunAsync(spec, workspace, sink, either.Token);
    }
}
