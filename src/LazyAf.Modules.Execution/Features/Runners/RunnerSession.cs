using System.Collections.Concurrent;
using System.Text.Json;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;
using Wire = LazyAf.Protocol.V1;
using LazyAf.Runner;
using LazyAf.Runner.Remote;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>
/// One remote runner as an executor: the router gives it executions whose <c>requires</c> are among its labels while
/// it has free slots; each is pushed on the runner's stream and must be acked within <see cref="RunnerOptions.AckTimeout"/>,
/// else it goes back to pending for another runner. Its log chunks are stored seq by seq (a repeated seq is dropped),
/// its result recorded. It outlives a broken stream: its steps wait for the runner to come back until it has been
/// silent for <see cref="RunnerOptions.DeadAfter"/>, and then fail "runner lost"; a runner back in time re-attaches to them.
/// </summary>
internal sealed class RunnerSession(RunnerSessionServices services, RemoteRunner runner) : IExecutor, IDisposable
{
    public const string RunnerLost = "runner lost";

    // Long enough for a debug environment's clone and set-up; the shell itself needs no git token.
    private static readonly TimeSpan EnvironmentTokenLifetime = TimeSpan.FromMinutes(15);

    // A step may still push (partial work) after its timeout kills it; its token lasts a little longer.
    private static readonly TimeSpan StepTokenGrace = TimeSpan.FromMinutes(15);

    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly ConcurrentDictionary<string, RemoteRun> _runs = new(StringComparer.Ordinal);
    private readonly RemoteEnvironments _environments = new(runner.Row.Id);
    private RemoteRunner _runner = runner;
    private RunnerStream? _stream;
    private long _lastSeen = services.Clock.GetUtcNow().UtcTicks;
    private DateTimeOffset _touched = DateTimeOffset.MinValue;
    private HashSet<string> _labels = Labels(runner.Row.Labels);
    private HashSet<string> _kinds = Labels(runner.Row.StepKinds);

    // Set by RecoverAsync: until then (or until the runner is back) its recovered steps wait, however long it is silent.
    private DateTimeOffset _patientUntil = DateTimeOffset.MinValue;

    public string Name => _runner.Row.Id;

    IReadOnlySet<string> IExecutor.Labels => _labels;

    public RemoteRunnerRow Row => _runner.Row;

    public bool Connected => _stream is not null;

    public int FreeSlots => _stream is null || _runner.Row.Draining ? 0 : Math.Max(0, _runner.Row.Capacity - _runs.Count);

    public event Action? SlotFreed;

    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeen), TimeSpan.Zero);

    /// <summary>A runner runs only the step kinds it named, and never one it refused on this stream.</summary>
    public bool Runs(StepExecution execution) =>
        _kinds.Contains(execution.Request.Step.Type) && _stream is { } stream && !stream.Declined.ContainsKey(execution.Row.Id);

    /// <summary>Whether the runner named <paramref name="type"/> among the step kinds it runs.</summary>
    public bool RunsKind(string type) => _kinds.Contains(type);

    /// <summary>
    /// A debug environment of <paramref name="request"/>'s step on this runner: prepared as before the step, or with
    /// <paramref name="attach"/> the workspace the failed step left; held there until disposed, lost if the stream ends.
    /// </summary>
    /// <exception cref="InvalidOperationException">The runner is not connected, the repo or a secret is missing, or the runner could not prepare it.</exception>
    public async Task<IStepEnvironment> PrepareEnvironmentAsync(ExecutionRequested request, bool attach, CancellationToken ct)
    {
        if (_stream is not { } stream)
            throw new InvalidOperationException($"runner {Name} is not connected");
        var spec = ForRunner(await services.Preparation.PrepareAsync(request, ct));
        var token = services.StepTokens.Issue(request.ExecutionId, request.RepoId, request.WorkBranch, EnvironmentTokenLifetime);
        var prepare = new Wire.PrepareEnvironment
        {
            EnvironmentId = Kernel.Ids.New(), ExecutionId = request.ExecutionId, Spec = WireSteps.ToWire(spec), StepToken = token.Value, Attach = attach,
        };
        services.Logger.LogInformation("Debug environment {EnvironmentId} of execution {ExecutionId} asked of runner {RunnerId} ({Mode})",
            prepare.EnvironmentId, request.ExecutionId, Name, attach ? "what the failed step left" : "as before the step");
        return await _environments.PrepareAsync(stream, prepare, token, ct);
    }

    // The clone URL the runner dials, when the host's settings give one (Runners:GitUrl).
    private StepSpec ForRunner(StepSpec spec) =>
        services.Options.GitUrl is { } gitUrl
            ? spec with { Repo = spec.Repo with { CloneUrl = new Uri(gitUrl, new Uri(spec.Repo.CloneUrl).PathAndQuery).ToString() } }
            : spec;

    /// <summary>
    /// Takes a new stream of the runner (with what its hello said) and sends it <paramref name="welcome"/> first; a
    /// stream it had before is closed. Steps the runner says it still runs are re-attached, the welcome telling it the
    /// last seq stored of each; whatever else it held is lost.
    /// </summary>
    public async Task AttachAsync(RemoteRunnerRow hello, IReadOnlyCollection<string> claimed, IReadOnlyDictionary<string, string> stepTokens, RunnerStream stream, Wire.Welcome welcome)
    {
        await _lock.WaitAsync();
        try
        {
            if (_stream is { } old)
                old.Close(new Status(StatusCode.Aborted, "the runner connected again on another stream"));
            _environments.Lose(null, $"runner {Name} connected again: its debug terminals ended with its old stream");
            await EndRunsAsync(RunnerLost, keep: run => run.Running is not null && claimed.Contains(run.Id));
            ReinstateTokens(stepTokens);
            _patientUntil = DateTimeOffset.MinValue;
            foreach (var run in _runs.Values)
                welcome.Resume.Add(new Wire.ResumePoint { ExecutionId = run.Id, LastSeq = run.LastSeq });
            _runner = new RemoteRunner(hello with { State = _runner.Row.State });
            _labels = Labels(hello.Labels);
            _kinds = Labels(hello.StepKinds);
            Seen();
            var now = services.Clock.GetUtcNow();
            await _runner.FireAsync(RunnerTrigger.Connect, row => row with { ConnectedAt = now, LastSeenAt = now, Draining = false });
            await services.Runners.SaveAsync(_runner.Row, CancellationToken.None);
            await MarkBusyAsync();
            // Welcomed once its state is saved, so what the runner does next sees it connected; the welcome goes first on
            // the stream, before anything sent without the lock (a cancel) can find the stream.
            stream.Send(new Wire.ServerMessage { Welcome = welcome });
            _stream = stream;
        }
        finally
        {
            _lock.Release();
        }
        services.Logger.LogInformation("Runner {RunnerId} ({RunnerName}) connected: session {SessionId}, labels {Labels}, capacity {Capacity}, re-attached {Resumed}",
            Name, _runner.Row.Name, stream.SessionId, _labels, _runner.Row.Capacity, welcome.Resume.Select(r => r.ExecutionId));
        SlotFreed?.Invoke();
    }

    /// <summary>The stream ended. A runner that left cleanly is disconnected; one whose stream broke keeps its steps until it is dead.</summary>
    public async Task DetachAsync(RunnerStream stream, bool clean)
    {
        // The stream has ended, so the waits for acks end too; awaited outside the lock, which a timed-out wait takes.
        await Task.WhenAll(_runs.Values.Select(r => r.AckWait));
        await _lock.WaitAsync();
        try
        {
            if (_stream != stream)
                return;
            _stream = null;
            _environments.Lose(stream, clean ? $"runner {Name} left: its debug terminals are lost" : $"runner {Name} was lost (its stream broke)");
            if (!clean && !_runs.IsEmpty)
            {
                services.Logger.LogWarning("Runner {RunnerId} lost its stream with {Running} steps; they fail unless it is back within {DeadAfter}",
                    Name, _runs.Count, services.Options.DeadAfter);
                return;
            }
            await EndRunsAsync(RunnerLost);
            if (_runner.CanFire(RunnerTrigger.Disconnect))
            {
                await _runner.FireAsync(RunnerTrigger.Disconnect, row => row with { LastSeenAt = LastSeen, Draining = false });
                await services.Runners.SaveAsync(_runner.Row, CancellationToken.None);
            }
        }
        finally
        {
            _lock.Release();
        }
        services.Logger.LogInformation("Runner {RunnerId} disconnected", Name);
    }

    /// <summary>
    /// Ends a runner that has been silent since before <paramref name="deadline"/>: its stream is closed, its steps fail
    /// "runner lost". One this host has not seen since it restarted is given <see cref="RunnerOptions.RestartGrace"/> instead.
    /// </summary>
    public async Task<bool> DieIfSilentAsync(DateTimeOffset deadline)
    {
        if (!Silent(deadline) || _runner.State is RunnerState.Dead || (_runner.State is RunnerState.Disconnected && _runs.IsEmpty))
            return false;
        await _lock.WaitAsync();
        try
        {
            if (!Silent(deadline) || !_runner.CanFire(RunnerTrigger.Die))
                return false;
            _stream?.Close(new Status(StatusCode.Unavailable, $"no heartbeat for {services.Options.DeadAfter}"));
            _stream = null;
            _environments.Lose(null, $"runner {Name} is dead: no heartbeat for {services.Options.DeadAfter}");
            var lost = _runs.Count;
            await EndRunsAsync(RunnerLost);
            await _runner.FireAsync(RunnerTrigger.Die, row => row with { LastSeenAt = LastSeen });
            await services.Runners.SaveAsync(_runner.Row, CancellationToken.None);
            services.Logger.LogWarning("Runner {RunnerId} is dead: silent since {LastSeen}; {Lost} steps failed \"runner lost\"", Name, LastSeen, lost);
            return true;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Revoked: the stream is closed with PERMISSION_DENIED and the steps it ran fail.</summary>
    public async Task RevokeAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _stream?.Close(new Status(StatusCode.PermissionDenied, "this runner was revoked"));
            _stream = null;
            _environments.Lose(null, $"runner {Name} was revoked");
            await EndRunsAsync("runner revoked");
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Asks the runner to take no new work, finish what it runs and leave.</summary>
    public async Task DrainAsync()
    {
        await _lock.WaitAsync();
        try
        {
            _runner = new RemoteRunner(_runner.Row with { Draining = true });
            await services.Runners.SaveAsync(_runner.Row, CancellationToken.None);
            _stream?.Send(new Wire.ServerMessage { Drain = new Wire.Drain { Reason = "drained through the API" } });
        }
        finally
        {
            _lock.Release();
        }
    }

    public async Task<bool> AssignAsync(StepExecution assigned, CancellationToken ct)
    {
        if (_stream is not { } stream || FreeSlots <= 0)
            return false;
        var request = assigned.Request;
        StepSpec spec;
        try
        {
            spec = await services.Preparation.PrepareAsync(request, ct);
        }
        catch (InvalidOperationException e)
        {
            // The repo is gone: nothing could run it anywhere.
            await services.Recorder.EndAsync(assigned.Row.Id, StepOutcome.Failed, e.Message);
            return true;
        }
        spec = ForRunner(spec);
        var token = services.StepTokens.Issue(assigned.Row.Id, request.RepoId, request.WorkBranch, spec.Timeout + StepTokenGrace);
        var run = new RemoteRun(assigned, token);
        var message = new Wire.Assign
        {
            ExecutionId = run.Id,
            IdempotencyKey = assigned.Row.IdempotencyKey,
            Spec = WireSteps.ToWire(spec),
            StepToken = token.Value,
        };
        message.Spec.Artifacts.Add(request.Step.Artifacts);
        message.Spec.MaxArtifactBytes = services.Outputs.MaxArtifactBytes;
        if (spec.Timeout > TimeSpan.Zero)
            message.Deadline = Timestamp.FromDateTimeOffset(services.Clock.GetUtcNow() + spec.Timeout);
        await _lock.WaitAsync(ct);
        try
        {
            if (_stream != stream || !_runs.TryAdd(run.Id, run))
            {
                token.Dispose();
                return false;
            }
            // Pushed before the runner's busy state is saved, so the runner's ack travels while the host writes.
            run.AckWait = WaitForAckAsync(run, stream);
            stream.Send(new Wire.ServerMessage { Assign = message });
            // The stream's writer handed the message to Kestrel, whose frame writer now waits in this thread's local
            // queue: yielding (to the global queue) lets this thread write it to the socket before saving the busy state.
            await Task.Yield();
            await MarkBusyAsync();
        }
        finally
        {
            _lock.Release();
        }
        return true;
    }

    public bool Cancel(string executionId)
    {
        if (!_runs.TryGetValue(executionId, out var run) || run.Running is null || _stream is not { } stream)
            return false;
        return stream.Send(new Wire.ServerMessage { Cancel = new Wire.Cancel { ExecutionId = executionId, Reason = "cancelled" } });
    }

    // A runner waited for since a restart is silent once the grace is over; any other once it has not been heard since the deadline.
    private bool Silent(DateTimeOffset deadline)
    {
        if (_stream is null && _patientUntil != DateTimeOffset.MinValue)
            return services.Clock.GetUtcNow() >= _patientUntil;
        return LastSeen < deadline;
    }

    /// <summary>
    /// At start-up: the executions this runner held when the host stopped. Assigned ones (never acked) go back to
    /// pending; running ones wait for the runner, which kept running them, for <see cref="RunnerOptions.RestartGrace"/>:
    /// it re-attaches them from the last seq stored, and they fail "runner lost" when it is not back in time.
    /// </summary>
    public async Task RecoverAsync(IReadOnlyList<StepExecution> held, CancellationToken ct)
    {
        foreach (var execution in held)
        {
            if (execution.State is not Contracts.ExecutionState.Running)
            {
                await UnassignAsync(execution);
                continue;
            }
            var run = new RemoteRun(execution, token: null) { Running = execution };
            run.TryAck();
            run.LastSeq = Math.Max(0, ((await services.Logs.LastAsync(execution.Row.Id, ct))?.Seq ?? 0) - execution.Row.LogSeqBase);
            run.Sink = new StoredLogSink(services.Logs, execution.Identity, services.MaxLogBytes, await services.Logs.OutputBytesAsync(execution.Row.Id, ct),
                seqBase: execution.Row.LogSeqBase);
            _runs[run.Id] = run;
        }
        _patientUntil = services.Clock.GetUtcNow() + services.Options.RestartGrace;
        services.Logger.LogInformation("Runner {RunnerId} held {Running} running steps when the host stopped; they wait {Grace} for it to come back",
            Name, _runs.Count, services.Options.RestartGrace);
    }

    // Under the lock. Recovered runs lost their step tokens with the old host; the runner presents them again.
    private void ReinstateTokens(IReadOnlyDictionary<string, string> stepTokens)
    {
        foreach (var run in _runs.Values.Where(r => r.Token is null))
        {
            if (!stepTokens.TryGetValue(run.Id, out var value))
                continue;
            var request = run.Assigned.Request;
            var lifetime = TimeSpan.FromSeconds(request.Step.TimeoutSeconds ?? request.TimeoutSeconds) + StepTokenGrace;
            run.Token = services.StepTokens.Reinstate(value, run.Id, request.RepoId, request.WorkBranch, lifetime);
        }
    }

    /// <summary>Handles one message of the runner's current stream.</summary>
    public async Task HandleAsync(RunnerStream stream, Wire.RunnerMessage message)
    {
        if (_stream != stream)
            return;
        Seen();
        switch (message.BodyCase)
        {
            case Wire.RunnerMessage.BodyOneofCase.Heartbeat:
                // The stored last-seen serves only a host that crashed (a disconnect, a death and the API use the one in
                // memory): once per dead window spares the database a write per runner every few seconds.
                if (LastSeen - _touched >= services.Options.DeadAfter)
                {
                    _touched = LastSeen;
                    await services.Runners.TouchAsync(Name, LastSeen, CancellationToken.None);
                }
                break;
            case Wire.RunnerMessage.BodyOneofCase.Ack:
                await AckedAsync(stream, message.Ack.ExecutionId);
                break;
            case Wire.RunnerMessage.BodyOneofCase.Reject:
                await GiveBackAsync(message.Reject.ExecutionId, stream, $"refused: {message.Reject.Reason}");
                break;
            case Wire.RunnerMessage.BodyOneofCase.StepState:
                services.Logger.LogDebug("Execution {ExecutionId} on runner {RunnerId}: {Phase}", message.StepState.ExecutionId, Name, message.StepState.Phase);
                break;
            case Wire.RunnerMessage.BodyOneofCase.Log:
                await StoreAsync(message.Log);
                TellStored(stream, message.Log.ExecutionId);
                break;
            case Wire.RunnerMessage.BodyOneofCase.Result:
                await FinishAsync(stream, message.Result);
                break;
            case Wire.RunnerMessage.BodyOneofCase.EnvironmentReady or Wire.RunnerMessage.BodyOneofCase.TerminalOutput or Wire.RunnerMessage.BodyOneofCase.TerminalClosed:
                _environments.Handle(message);
                break;
            case Wire.RunnerMessage.BodyOneofCase.TestResults:
                OutputsOf(message.TestResults.ExecutionId)?.Add(message.TestResults);
                break;
            case Wire.RunnerMessage.BodyOneofCase.Coverage:
                OutputsOf(message.Coverage.ExecutionId)?.Add(message.Coverage);
                break;
            case Wire.RunnerMessage.BodyOneofCase.ArtifactOpen:
                OutputsOf(message.ArtifactOpen.ExecutionId)?.Open(message.ArtifactOpen);
                break;
            case Wire.RunnerMessage.BodyOneofCase.ArtifactChunk:
                OutputsOf(message.ArtifactChunk.ExecutionId)?.Write(message.ArtifactChunk);
                break;
            case Wire.RunnerMessage.BodyOneofCase.ArtifactClose:
                OutputsOf(message.ArtifactClose.ExecutionId)?.Close(message.ArtifactClose);
                break;
            default:
                stream.Close(new Status(StatusCode.InvalidArgument, $"unexpected {message.BodyCase} after the hello"));
                break;
        }
    }

    private async Task AckedAsync(RunnerStream stream, string executionId)
    {
        if (!_runs.TryGetValue(executionId, out var run) || !run.TryAck())
        {
            // Too late (it went back to pending) or never ours: the runner must not run it.
            stream.Send(new Wire.ServerMessage { Cancel = new Wire.Cancel { ExecutionId = executionId, Reason = "the assignment was withdrawn" } });
            return;
        }
        if (await services.Recorder.StartedAsync(run.Assigned) is not { } running)
        {
            stream.Send(new Wire.ServerMessage { Cancel = new Wire.Cancel { ExecutionId = executionId, Reason = "cancelled" } });
            await ForgetAsync(run);
            return;
        }
        run.Sink = new StoredLogSink(services.Logs, running.Identity, services.MaxLogBytes, seqBase: running.Row.LogSeqBase);
        run.Running = running;
    }

    private async Task WaitForAckAsync(RemoteRun run, RunnerStream stream)
    {
        try
        {
            await Task.Delay(services.Options.AckTimeout, services.Clock, stream.Closed);
        }
        catch (OperationCanceledException)
        {
            // The stream ended first; detaching deals with the run.
            return;
        }
        if (run.IsAcked)
            return;
        await GiveBackAsync(run.Id, stream, $"no ack within {services.Options.AckTimeout}");
    }

    /// <summary>An assignment the runner refused or did not ack goes back to pending, and is not offered to this stream again.</summary>
    private async Task GiveBackAsync(string executionId, RunnerStream stream, string why)
    {
        if (!_runs.TryGetValue(executionId, out var run) || !run.TryAbandon())
            return;
        stream.Declined[executionId] = true;
        await ForgetAsync(run);
        await UnassignAsync(run.Assigned);
        services.Logger.LogWarning("Runner {RunnerId} {Why} for execution {ExecutionId}; it is pending again", Name, why, executionId);
        SlotFreed?.Invoke();
    }

    /// <summary>
    /// Stores chunks in seq order, each once: a seq stored already is dropped, one that comes early waits (up to
    /// <see cref="RemoteRun.MaxEarly"/> of them) for the ones before it. A gap that never fills is stored across when too
    /// many wait or the result comes, so a runner that lost chunks loses no more than those.
    /// </summary>
    private async Task StoreAsync(Wire.LogChunk chunk)
    {
        if (!_runs.TryGetValue(chunk.ExecutionId, out var run) || run.Sink is not { } sink || chunk.Seq <= run.LastSeq)
            return;
        if (chunk.Seq > run.LastSeq + 1)
        {
            run.Early.TryAdd(chunk.Seq, chunk);
            if (run.Early.Count <= RemoteRun.MaxEarly)
                return;
            services.Logger.LogWarning("Execution {ExecutionId}: runner {RunnerId} never sent seq {Seq}; {Waiting} later chunks are stored after the gap",
                run.Id, Name, run.LastSeq + 1, run.Early.Count);
            await StoreEarlyAsync(run, sink, acrossGaps: true);
            return;
        }
        run.LastSeq = chunk.Seq;
        await sink.WriteAsync(WireResults.ToRunner(chunk), CancellationToken.None);
        await StoreEarlyAsync(run, sink, acrossGaps: false);
    }

    /// <summary>
    /// Tells the runner, every <see cref="RemoteRun.StoredAckEvery"/> chunks, how far the log is stored: a long step's spool
    /// on the runner then keeps only what the host lacks.
    /// </summary>
    private void TellStored(RunnerStream stream, string executionId)
    {
        if (!_runs.TryGetValue(executionId, out var run) || run.Sink is not { } sink)
            return;
        var stored = sink.StoredThrough;
        if (stored - run.ToldStored < RemoteRun.StoredAckEvery)
            return;
        run.ToldStored = stored;
        stream.Send(new Wire.ServerMessage { Stored = new Wire.Stored { ExecutionId = executionId, LastSeq = stored } });
    }

    private static async Task StoreEarlyAsync(RemoteRun run, StoredLogSink sink, bool acrossGaps)
    {
        while (run.Early.Count > 0 && (acrossGaps || run.Early.Keys[0] == run.LastSeq + 1))
        {
            var next = run.Early.Values[0];
            run.Early.RemoveAt(0);
            run.LastSeq = next.Seq;
            await sink.WriteAsync(WireResults.ToRunner(next), CancellationToken.None);
        }
    }

    private async Task FinishAsync(RunnerStream stream, Wire.StepResult result)
    {
        // Once the result is recorded (or was, or is no longer wanted) the runner may forget the execution and its spool.
        var stored = new Wire.ServerMessage { Stored = new Wire.Stored { ExecutionId = result.ExecutionId, LastSeq = result.LastSeq, Result = true } };
        if (!_runs.TryGetValue(result.ExecutionId, out var run) || run.Running is not { } running)
        {
            stream.Send(stored);
            return;
        }
        if (run.Sink is { } early && run.Early.Count > 0)
            await StoreEarlyAsync(run, early, acrossGaps: true);
        if (result.LastSeq > run.LastSeq)
            services.Logger.LogWarning("Execution {ExecutionId}: runner {RunnerId} ended at seq {LastSeq}, the host has {Stored}", run.Id, Name, result.LastSeq, run.LastSeq);
        // Not ours any more when the runner was declared dead or revoked meanwhile: that already ended the execution.
        if (!await ForgetAsync(run))
        {
            stream.Send(stored);
            return;
        }
        try
        {
            await services.Recorder.FinishedAsync(running, await WithOutputsAsync(run, running, result));
        }
        catch (InvalidOperationException e)
        {
            services.Logger.LogWarning("Execution {ExecutionId}: the result from runner {RunnerId} came after it ended ({Reason})", run.Id, Name, e.Message);
        }
        stream.Send(stored);
        SlotFreed?.Invoke();
    }

    // Outputs are kept only for a running execution of this runner.
    private RemoteOutputs? OutputsOf(string executionId) =>
        _runs.TryGetValue(executionId, out var run) && run.Running is not null ? run.Outputs ??= services.NewOutputs(executionId) : null;

    /// <summary>
    /// The result with the test cases, coverage and artifacts the runner sent before it, as the in-process executor would
    /// have it: a problem with the artifacts (the runner's or this host's) fails the step, and its log says why.
    /// </summary>
    private async Task<StepResult> WithOutputsAsync(RemoteRun run, StepExecution running, Wire.StepResult wire)
    {
        var outputs = run.Outputs;
        try
        {
            var result = outputs?.Apply(WireResults.ToRunner(wire), wire.TestCases) ?? WireResults.ToRunner(wire);
            if (wire.TestCases > 0 && result.Tests?.Cases.Count != wire.TestCases)
                services.Logger.LogWarning("Execution {ExecutionId}: runner {RunnerId} reported {Cases} test cases but did not send them all; only the counts are kept", run.Id, Name, wire.TestCases);
            if (!services.Outputs.Wanted(running.Request, result))
                return result;
            var problem = wire.ArtifactProblem.Length > 0 ? wire.ArtifactProblem
                : outputs?.Problem
                ?? ((outputs?.Received ?? 0) != wire.Artifacts ? $"the runner sent {outputs?.Received ?? 0} of the step's {wire.Artifacts} artifacts whole; none kept"
                : wire.Artifacts == 0 ? null
                : await services.Outputs.ProblemAsync(run.Id, running.Request, outputs!.Directory, result, CancellationToken.None));
            if (problem is null)
                return result;
            await services.Recorder.NoteAsync(running, $"artifacts: {problem}");
            return StepOutputs.Refuse(result, problem);
        }
        finally
        {
            outputs?.Delete();
            services.DeleteOutputs(run.Id);
        }
    }

    /// <summary>Removes a run: its logs stored, its token revoked, the runner idle when it was the last.</summary>
    private async Task<bool> ForgetAsync(RemoteRun run)
    {
        if (!_runs.TryRemove(run.Id, out _))
            return false;
        if (run.Sink is { } sink)
            await sink.DisposeAsync();
        run.Token?.Dispose();
        await _lock.WaitAsync();
        try
        {
            await MarkBusyAsync();
        }
        finally
        {
            _lock.Release();
        }
        return true;
    }

    // Under the lock. Steps that never started go back to pending; those that ran end failed with the reason.
    private async Task EndRunsAsync(string reason, Func<RemoteRun, bool>? keep = null)
    {
        foreach (var run in _runs.Values.ToList())
        {
            if (keep?.Invoke(run) == true || !_runs.TryRemove(run.Id, out _))
                continue;
            run.TryAbandon();
            run.Outputs?.Delete();
            services.DeleteOutputs(run.Id);
            if (run.Sink is { } sink)
                await sink.DisposeAsync();
            run.Token?.Dispose();
            if (run.Running is null)
                await UnassignAsync(run.Assigned);
            else if (reason != RunnerLost || !await RetryAsync(run))
                await services.Recorder.EndUnseenAsync(run.Id, reason);
        }
        await MarkBusyAsync();
        SlotFreed?.Invoke();
    }

    /// <summary>
    /// A running step whose runner was lost goes back to pending when its <c>runner_retries</c> allow, for another runner
    /// (this one has no stream, so it takes none): its log says so, and the next attempt's chunks are stored after it.
    /// </summary>
    private async Task<bool> RetryAsync(RemoteRun run)
    {
        if (await services.Executions.FindAsync(run.Id, CancellationToken.None) is not { } current || !current.CanFire(ExecutionTrigger.Requeue))
            return false;
        var allowed = current.Request.Step.RunnerRetries ?? 0;
        if (current.Row.LostRunners >= allowed)
            return false;
        var now = services.Clock.GetUtcNow();
        var attempt = current.Row.LostRunners + 1;
        var noted = await services.Logs.AppendNoteAsync(
            current.Identity, $"runner {Name} was lost; the step starts again on another runner (retry {attempt} of {allowed})", now, CancellationToken.None);
        await current.FireAsync(ExecutionTrigger.Requeue, row => row with
        {
            Runner = null, LostRunners = attempt, LogSeqBase = noted, StartedAt = null, UpdatedAt = now,
        });
        if (await services.Executions.SaveAsync(current, CancellationToken.None) is null)
            return false;
        services.Logger.LogWarning("Execution {ExecutionId} lost runner {RunnerId}; it is pending again (retry {Attempt} of {Allowed})", run.Id, Name, attempt, allowed);
        return true;
    }

    private async Task UnassignAsync(StepExecution assigned)
    {
        if (await services.Executions.FindAsync(assigned.Row.Id, CancellationToken.None) is not { } current || !current.CanFire(ExecutionTrigger.Unassign))
            return;
        await current.FireAsync(ExecutionTrigger.Unassign, row => row with { Runner = null, UpdatedAt = services.Clock.GetUtcNow() });
        await services.Executions.SaveAsync(current, CancellationToken.None);
    }

    // Under the lock.
    private async Task MarkBusyAsync()
    {
        var trigger = _runs.IsEmpty ? RunnerTrigger.Free : RunnerTrigger.Take;
        var before = _runner.State;
        if (!_runner.CanFire(trigger))
            return;
        await _runner.FireAsync(trigger);
        if (_runner.State != before)
            await services.Runners.SaveAsync(_runner.Row, CancellationToken.None);
    }

    public void Dispose() => _lock.Dispose();

    private void Seen() => Interlocked.Exchange(ref _lastSeen, services.Clock.GetUtcNow().UtcTicks);

    private static HashSet<string> Labels(string json) =>
        (JsonSerializer.Deserialize<string[]>(json) ?? []).ToHashSet(StringComparer.Ordinal);
}
