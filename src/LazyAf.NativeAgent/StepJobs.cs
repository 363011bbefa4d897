using System.Collections.Concurrent;
using System.Threading.Channels;
using LazyAf.Protocol;
using LazyAf.Protocol.V1;
using LazyAf.Runner;
using Serilog;

namespace LazyAf.NativeAgent;

/// <summary>
/// The steps this agent runs for one stream: each assignment is acked (or rejected: full, draining, a step kind it
/// lacks), run by the shared <see cref="StepRunner"/> in a workspace of its own, its chunks and result sent back on the
/// stream. When the stream goes, its steps are stopped: their results could reach the host on no other stream.
/// </summary>
internal sealed class StepJobs(StepRunner runner, IReadOnlySet<string> kinds, int capacity, string workRoot, ChannelWriter<RunnerMessage> outgoing, ILogger log)
{
    private readonly ConcurrentDictionary<string, (CancellationTokenSource Cancel, Task Run)> _running = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;

    public IReadOnlyCollection<string> Running => [.. _running.Keys];

    /// <summary>Takes no new work from now on.</summary>
    public void Drain() => _draining = true;

    /// <summary>Completes once draining and nothing runs.</summary>
    public Task Idle
    {
        get
        {
            if (_draining && _running.IsEmpty)
                _idle.TrySetResult();
            return _idle.Task;
        }
    }

    public async Task StartAsync(Assign assign, CancellationToken stream)
    {
        var id = assign.ExecutionId;
        var refusal = _draining ? "draining"
            : _running.Count >= capacity ? "full"
            : WireSteps.TypeOf(assign.Spec?.Step) is not { } type || !kinds.Contains(type) ? $"this runner does not run {WireSteps.TypeOf(assign.Spec?.Step) ?? "unknown"} steps"
            : _running.ContainsKey(id) ? "already running it"
            : null;
        if (refusal is not null)
        {
            await outgoing.WriteAsync(new RunnerMessage { Reject = new JobReject { ExecutionId = id, Reason = refusal } }, stream);
            return;
        }
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stream);
        var run = new Task<Task>(() => RunAsync(assign, cancel.Token));
        _running[id] = (cancel, run.Unwrap());
        await outgoing.WriteAsync(new RunnerMessage { Ack = new JobAck { ExecutionId = id } }, stream);
        run.Start(TaskScheduler.Default);
    }

    public void Cancel(string executionId, string reason)
    {
        if (!_running.TryGetValue(executionId, out var run))
            return;
        log.Information("Cancelling execution {ExecutionId}: {Reason}", executionId, reason);
        try
        {
            run.Cancel.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // It ended meanwhile.
        }
    }

    /// <summary>Stops every step (the stream is gone) and waits for them to end.</summary>
    public async Task StopAllAsync()
    {
        foreach (var id in _running.Keys)
            Cancel(id, "the stream to the host ended");
        await Task.WhenAll(_running.Values.Select(r => r.Run));
    }

    private async Task RunAsync(Assign assign, CancellationToken ct)
    {
        var id = assign.ExecutionId;
        var workspace = Path.Combine(workRoot, id);
        try
        {
            var spec = WireSteps.ToRunner(assign);
            log.Information("Running execution {ExecutionId} ({Type} step)", id, spec.Step.Type);
            await outgoing.WriteAsync(new RunnerMessage { StepState = new StepState { ExecutionId = id, Phase = StepPhase.Started } }, ct);
            var sink = new StreamLogSink(outgoing);
            var result = await runner.RunAsync(spec, workspace, sink, ct);
            await outgoing.WriteAsync(new RunnerMessage { Result = WireResults.ToWire(id, result, sink.LastSeq) }, CancellationToken.None);
            log.Information("Execution {ExecutionId} ended {Outcome}", id, result.Outcome);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException or ArgumentException)
        {
            log.Warning("Execution {ExecutionId} stopped: {Reason}", id, e.Message);
        }
        finally
        {
            if (_running.TryRemove(id, out var run))
                run.Cancel.Dispose();
            Remove(workspace);
            if (_draining && _running.IsEmpty)
                _idle.TrySetResult();
        }
    }

    private void Remove(string workspace)
    {
        try
        {
            if (Directory.Exists(workspace))
                Directory.Delete(workspace, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            log.Warning("Could not remove workspace {Workspace}: {Reason}", workspace, e.Message);
        }
    }
}
