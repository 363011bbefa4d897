using LazyAf.Runner.Git;
using LazyAf.Runner.Logs;
using LazyAf.Runner.Steps;
using LazyAf.Runner.Coverage;
using LazyAf.Runner.Terminals;
using LazyAf.Runner.TestReports;
using LazyAf.Runner.Workspace;

namespace LazyAf.Runner;

/// <summary>
/// Runs one step execution in a workspace directory: checks the work branch out of LazyAF's git server,
/// writes <c>.lazyaf-context/</c>, runs <c>.lazyaf/setup.sh</c> and the step (through the <see cref="IStepKind"/>
/// for its type), reads its test reports, and commits and pushes its work. Everything it does, and all the
/// step prints, goes to the <see cref="ILogSink"/> as sequenced chunks with secrets masked.
/// </summary>
public sealed class StepRunner
{
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromMilliseconds(int.MaxValue);
    private static readonly TimeSpan PartialPushTimeout = TimeSpan.FromMinutes(2);
    private readonly Dictionary<string, IStepKind> _kinds;
    private readonly StepRunnerOptions _options;
    private readonly GitObjectCache? _objectCache;

    /// <summary>A runner for the step types of <paramref name="kinds"/>.</summary>
    public StepRunner(IEnumerable<IStepKind> kinds, StepRunnerOptions? options = null)
    {
        _kinds = kinds.ToDictionary(k => k.Type, StringComparer.Ordinal);
        _options = options ?? new StepRunnerOptions();
        _objectCache = _options.ObjectCache is { } root ? new GitObjectCache(Path.GetFullPath(root), _options.GitCaFile, _options.KillGrace) : null;
    }

    /// <summary>
    /// Runs <paramref name="spec"/> in <paramref name="workspace"/> (created if missing; empty, or a checkout
    /// from an earlier run of the same repo). Cancelling <paramref name="ct"/> kills the step and ends the run
    /// <see cref="StepOutcome.Cancelled"/>; <see cref="StepSpec.Timeout"/> ends it <see cref="StepOutcome.TimedOut"/>.
    /// Work is committed and pushed only after the step ran to an exit code, whether it succeeded or failed.
    /// </summary>
    public Task<StepResult> RunAsync(StepSpec spec, string workspace, ILogSink sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        workspace = Path.GetFullPath(workspace);
        Directory.CreateDirectory(workspace);
        return SupervisedAsync(spec, workspace, sink, lastSeq: 0, TimeSpan.Zero, (log, progress, token) => RunPhasesAsync(spec, workspace, log, progress, token), ct);
    }

    /// <summary>
    /// Finishes a run of <paramref name="spec"/> whose step is still going (or has ended) in
    /// <paramref name="workspace"/> with nobody watching it, because the process that started it died: re-attaches
    /// to the step through its <see cref="IReattachableStepKind"/>, ships its output since
    /// <paramref name="lastAt"/>, then reads test reports, commits and pushes like the end of
    /// <see cref="RunAsync"/>. Log sequence numbers continue after <paramref name="lastSeq"/>, the last one
    /// stored. Cancel behaves as in <see cref="RunAsync"/>; the timeout counts from <paramref name="startedAt"/>, when the
    /// step first started (from now when unknown), so a step past its time is stopped at once. A re-attach that stops
    /// or fails before it follows the step still kills and removes it: nothing is left running unwatched.
    /// </summary>
    public Task<StepResult> ReattachAsync(StepSpec spec, string workspace, ILogSink sink, long lastSeq, DateTimeOffset? lastAt, DateTimeOffset? startedAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfNegative(lastSeq);
        workspace = Path.GetFullPath(workspace);
        var ranBefore = startedAt is { } started ? _options.Clock.GetUtcNow() - started : TimeSpan.Zero;
        return SupervisedAsync(spec, workspace, sink, lastSeq, ranBefore, (log, progress, token) => ReattachPhasesAsync(spec, workspace, lastAt, log, progress, token), ct);
    }

    /// <summary>
    /// Makes <paramref name="workspace"/> what <paramref name="spec"/>'s step would start in, without running the step:
    /// the work branch checked out, <c>.lazyaf-context/</c> and the step's files written, <c>.lazyaf/setup.sh</c> run.
    /// Returns the step's working directory and environment, for a debug shell in its place. What it does goes to
    /// <paramref name="sink"/>; a failing phase throws <see cref="StepFailedException"/>.
    /// </summary>
    public async Task<PreparedStep> PrepareAsync(StepSpec spec, string workspace, ILogSink sink, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(sink);
        workspace = Path.GetFullPath(workspace);
        Directory.CreateDirectory(workspace);
        var directory = StepWorkingDirectory.Resolve(workspace, spec.Step.WorkingDir)
            ?? throw new StepFailedException($"working directory '{spec.Step.WorkingDir}' is outside the workspace");
        await using var log = new LogShipper(spec.ExecutionId, sink, Redactor(spec), _options, 0);
        await PrepareWorkspaceAsync(spec, workspace, new GitCli(workspace, spec.Repo.Token, _options.GitCaFile, log, _options.KillGrace), log, ct);
        await log.CompleteAsync();
        Directory.CreateDirectory(directory);
        return new PreparedStep(directory, StepEnvironment.For(spec, workspace));
    }

    /// <summary>
    /// The working directory and environment <paramref name="spec"/>'s step has in <paramref name="workspace"/>, as it is
    /// (nothing checked out or written): for a debug shell into what a step that ran there left.
    /// </summary>
    public static PreparedStep EnvironmentOf(StepSpec spec, string workspace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        workspace = Path.GetFullPath(workspace);
        var directory = StepWorkingDirectory.Resolve(workspace, spec.Step.WorkingDir)
            ?? throw new StepFailedException($"working directory '{spec.Step.WorkingDir}' is outside the workspace");
        return new PreparedStep(directory, StepEnvironment.For(spec, workspace));
    }

    /// <summary>
    /// The shell a debug terminal runs for <paramref name="spec"/>'s step in <paramref name="workspace"/>: its kind's own
    /// (<see cref="IDebugShellStepKind"/>: a container of a docker step's image), else bash in <paramref name="step"/>'s place.
    /// </summary>
    public DebugShell DebugShellOf(StepSpec spec, string workspace, PreparedStep step)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _kinds.TryGetValue(spec.Step.Type, out var kind) && kind is IDebugShellStepKind own
            ? own.DebugShell(spec, Path.GetFullPath(workspace), step)
            : DebugShell.Bash(step);
    }

    /// <summary>
    /// The sidecar a debug terminal runs beside <paramref name="spec"/>'s step: its kind's own (a container of the sidecar
    /// image with <paramref name="workspace"/> mounted, for a docker step), else bash at the workspace's root with none of
    /// the step's variables (<see cref="DebugShell.Sidecar"/>).
    /// </summary>
    public DebugShell SidecarShellOf(StepSpec spec, string workspace, PreparedStep step)
    {
        ArgumentNullException.ThrowIfNull(spec);
        workspace = Path.GetFullPath(workspace);
        return _kinds.TryGetValue(spec.Step.Type, out var kind) && kind is IDebugShellStepKind own
            ? own.SidecarShell(spec, workspace, step)
            : DebugShell.Sidecar(step, workspace);
    }

    /// <summary>Removes what earlier debug shells of <paramref name="spec"/>'s run left running, for a kind whose shells outlive their host (<see cref="IDebugShellStepKind.RemoveLeftoverShellsAsync"/>).</summary>
    public Task RemoveLeftoverShellsAsync(StepSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return _kinds.TryGetValue(spec.Step.Type, out var kind) && kind is IDebugShellStepKind own ? own.RemoveLeftoverShellsAsync(spec, ct) : Task.CompletedTask;
    }

    /// <summary>Runs <paramref name="phases"/> under the spec's timeout and the caller's cancel, and turns how they ended into the result.</summary>
    private async Task<StepResult> SupervisedAsync(
        StepSpec spec, string workspace, ILogSink sink, long lastSeq, TimeSpan ranBefore, Func<LogShipper, RunProgress, CancellationToken, Task> phases, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sink);
        var redactor = Redactor(spec);
        await using var log = new LogShipper(spec.ExecutionId, sink, redactor, _options, lastSeq);
        // Zero, negative or infinite means no timeout; beyond what a timer can hold (~24 days) is no timeout in practice either.
        using var timeout = spec.Timeout > TimeSpan.Zero && spec.Timeout < MaxTimeout
            ? new CancellationTokenSource(Max(spec.Timeout - ranBefore, TimeSpan.FromMilliseconds(1)), _options.Clock)
            : new CancellationTokenSource();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);

        var progress = new RunProgress(spec.Repo.WorkBranch);
        // Every process the phases start runs in the step's cell; disposing it kills what they left running.
        await using var cell = _options.Containment?.Open(spec.ExecutionId);
        try
        {
            if (cell is not null)
                await cell.HandOverAsync(workspace, run.Token);
            await phases(log, progress, run.Token);
        }
        catch (StepDetachedException e)
        {
            // No result: the step goes on, and whoever re-attaches to it ends its log.
            await log.SystemAsync(e.Message);
            await log.CompleteAsync();
            throw;
        }
        catch (OperationCanceledException) when (run.IsCancellationRequested)
        {
            progress.End(ct.IsCancellationRequested ? StepOutcome.Cancelled : StepOutcome.TimedOut,
                ct.IsCancellationRequested ? "cancelled" : $"timed out after {spec.Timeout}");
        }
        catch (StepFailedException e)
        {
            progress.Fail(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            progress.Fail(e.Message);
        }
        if (progress.Outcome == StepOutcome.Failed && WorkspaceDisk.FullReason(workspace) is { } full)
            progress.Fail(full);
        await log.SystemAsync(progress.Error is null ? $"{progress.Outcome}" : $"{progress.Outcome}: {progress.Error}");
        await log.CompleteAsync();
        return redactor.Redact(progress.ToResult(log.Tail));
    }

    /// <summary>Every credential the step is handed: its secrets, its git token and what its kind adds.</summary>
    private SecretRedactor Redactor(StepSpec spec)
    {
        IEnumerable<string> credentials = [.. spec.Secrets.Values, .. spec.Repo.Token is { Length: > 0 } token ? [token] : Array.Empty<string>()];
        if (_kinds.TryGetValue(spec.Step.Type, out var kind))
            credentials = credentials.Concat(kind.Credentials(spec));
        return new SecretRedactor(credentials);
    }

    /// <summary>Everything before the step itself: the checkout, the context directory, the step's files, set-up.</summary>
    private async Task<CheckedOut> PrepareWorkspaceAsync(StepSpec spec, string workspace, GitCli git, LogShipper log, CancellationToken ct)
    {
        var checkout = await WorkBranchCheckout.RunAsync(git, spec.Repo, workspace, _objectCache, spec.ReusedWorkspace, log, ct);
        await ContextDirectory.WriteAsync(workspace, spec.Context, log.Redactor, ct);
        await log.SystemAsync($"wrote {ContextDirectory.Name}/ (not committed)");
        await WorkspaceFiles.WriteAsync(spec, workspace, git, log, ct);
        // What the runner just wrote becomes the step's (when it runs as another user) before the step runs.
        if (_options.Containment is { RunAs: not null } containment)
            await containment.HandOverAsync(workspace, ct);
        await SetupScript.RunIfPresentAsync(spec, workspace, log, _options.KillGrace, ct);
        return checkout;
    }

    private async Task RunPhasesAsync(StepSpec spec, string workspace, LogShipper log, RunProgress progress, CancellationToken ct)
    {
        // What needs no checkout to judge fails first, before any git work.
        _ = StepWorkingDirectory.Resolve(workspace, spec.Step.WorkingDir)
            ?? throw new StepFailedException($"working directory '{spec.Step.WorkingDir}' is outside the workspace");
        if (!_kinds.TryGetValue(spec.Step.Type, out var kind))
            throw new StepFailedException($"unknown step type '{spec.Step.Type}'; this runner runs: {string.Join(", ", _kinds.Keys.Order(StringComparer.Ordinal))}");

        var git = new GitCli(workspace, spec.Repo.Token, _options.GitCaFile, log, _options.KillGrace);
        var checkout = await PrepareWorkspaceAsync(spec, workspace, git, log, ct);

        var reportsBefore = TestReportFiles.Snapshot(workspace);
        int exitCode;
        try
        {
            exitCode = await kind.RunAsync(spec, workspace, log, ct);
        }
        catch (OperationCanceledException e) when (spec.Step.KeepPartialWork && e is not StepDetachedException)
        {
            await KeepPartialWorkAsync(spec, workspace, git, checkout, log, progress);
            throw;
        }
        await FinishPhasesAsync(spec, workspace, git, checkout, exitCode, reportsBefore, log, progress, ct);
    }

    /// <summary>A stopped step's changes are committed and pushed anyway, for a step configured to keep them (an agent's half-done work).</summary>
    private static async Task KeepPartialWorkAsync(StepSpec spec, string workspace, GitCli git, CheckedOut checkout, LogShipper log, RunProgress progress)
    {
        using var pushing = new CancellationTokenSource(PartialPushTimeout);
        var partial = spec.Commit with { Message = $"{spec.Commit.Message} (partial: the step was stopped)" };
        var pushed = await WorkBranchPush.RunAsync(git, workspace, checkout, spec, partial, log, pushing.Token);
        progress.Pushed(pushed.Sha, pushed.Changed);
        await log.SystemAsync("kept the stopped step's partial work on the branch (keep_partial_work)");
    }

    private async Task ReattachPhasesAsync(StepSpec spec, string workspace, DateTimeOffset? lastAt, LogShipper log, RunProgress progress, CancellationToken ct)
    {
        if (!_kinds.TryGetValue(spec.Step.Type, out var kind) || kind is not IReattachableStepKind reattachable)
            throw new StepFailedException($"a '{spec.Step.Type}' step cannot be re-attached");
        var git = new GitCli(workspace, spec.Repo.Token, _options.GitCaFile, log, _options.KillGrace);
        CheckedOut checkout;
        Dictionary<string, (DateTime Written, long Length)> reportsBefore;
        int exitCode;
        try
        {
            if (!Directory.Exists(Path.Combine(workspace, ".git")))
                throw new StepFailedException($"workspace {workspace} holds no checkout to re-attach to");
            checkout = await WorkBranchCheckout.ReattachAsync(git, spec.Repo, ct);
            // Reports older than the context directory were there before the step started.
            var stepStarted = ContextDirectory.WrittenAt(workspace);
            reportsBefore = TestReportFiles.Snapshot(workspace).Where(f => f.Value.Written < stepStarted).ToDictionary(StringComparer.Ordinal);
            await log.SystemAsync("re-attached after a restart; following the step");
            exitCode = await reattachable.FollowAsync(spec.ExecutionId, lastAt, log, ct);
        }
        catch (Exception e) when (e is OperationCanceledException or StepFailedException or IOException or InvalidOperationException)
        {
            // Following kills the step when it stops; stopping before it followed must too.
            await DiscardAsync(reattachable, spec.ExecutionId, log);
            throw;
        }
        await log.SystemAsync($"re-attached after a restart; the step exited {exitCode}");
        await FinishPhasesAsync(spec, workspace, git, checkout, exitCode, reportsBefore, log, progress, ct);
    }

    /// <summary>After the step's exit: its test reports, then its work committed and pushed.</summary>
    private static async Task FinishPhasesAsync(StepSpec spec, string workspace, GitCli git, CheckedOut checkout, int exitCode,
        Dictionary<string, (DateTime Written, long Length)> reportsBefore, LogShipper log, RunProgress progress, CancellationToken ct)
    {
        // A report file says more (names, messages); the runner's printed summary is the fallback.
        await log.FlushAsync();
        var written = TestReportFiles.WrittenSince(workspace, reportsBefore);
        var reports = TestReportReader.Read(workspace, written);
        foreach (var problem in reports.Problems)
            await log.SystemAsync(problem);
        var tests = reports.Tests ?? ConsoleTestSummary.Parse(log.Tail);
        progress.Ran(exitCode, tests);
        if (tests is not null)
            await log.SystemAsync($"tests: {tests.Total} run, {tests.Passed} passed, {tests.Failed} failed, {tests.Skipped} skipped");
        if (CoverageReader.Read(written) is { } coverage)
        {
            progress.Covered(coverage);
            await log.SystemAsync($"coverage: {coverage.LinesCovered} of {coverage.LinesValid} lines, {coverage.BranchesCovered} of {coverage.BranchesValid} branches");
        }
        if (tests is { CasesLeftOut: > 0 })
            await log.SystemAsync($"tests: kept the first {tests.Cases.Count} cases for the test history; {tests.CasesLeftOut} more were counted only");

        var pushed = await WorkBranchPush.RunAsync(git, workspace, checkout, spec, spec.Commit, log, ct);
        progress.Pushed(pushed.Sha, pushed.Changed);
    }

    private static async Task DiscardAsync(IReattachableStepKind kind, string executionId, LogShipper log)
    {
        try
        {
            await kind.DiscardAsync(executionId, CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or HttpRequestException or TimeoutException)
        {
            await log.SystemAsync($"could not remove the re-attached step: {e.Message}");
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
