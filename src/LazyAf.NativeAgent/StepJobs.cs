using System.Collections.Concurrent;
using System.Threading.Channels;
using LazyAf.Protocol;
using LazyAf.Protocol.V1;
using LazyAf.Runner;
using Serilog;

namespace LazyAf.NativeAgent;

/// <summary>
/// The steps this agent runs: each assignment is acked (or rejected: full, draining, a step kind it lacks), run by the
/// shared <see cref="StepRunner"/> in a workspace of its own, its chunks and result sent through the agent's outgoing
/// queue. Steps outlive a broken stream: the next stream re-attaches them and replays what the host missed.
/// </summary>
internal sealed class StepJobs(StepRunner runner, IReadOnlySet<string> kinds, int capacity, string workRoot, ChannelWriter<RunnerMessage> outgoing, ILogger log)
{
    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;

    /// <summary>What the host should hear about after a reconnect: steps running, and finished ones whose result may not have reached it.</summary>
    public IReadOnlyCollection<string> Held => [.. _jobs.Keys];

    /// <summary>Steps still running.</summary>
    public IReadOnlyCollection<string> Running => [.. _jobs.Where(j => j.Value.Result is null).Select(j => j.Key)];

    /// <summary>Takes no new work from now on.</summary>
    public void Drain()
    {
        _draining = true;
        if (Running.Count == 0)
            _idle.TrySetResult();
    }

    /// <summary>Completes once draining and nothing runs.</summary>
    public Task Idle => _idle.Task;

    public async Task StartAsync(Assign assign, CancellationToken ct)
    {
        var id = assign.ExecutionId;
        var refusal = _draining ? "draining"
            : Running.Count >= capacity ? "full"
            : WireSteps.TypeOf(assign.Spec?.Step) is not { } type || !kinds.Contains(type) ? $"this runner does not run {WireSteps.TypeOf(assign.Spec?.Step) ?? "unknown"} steps"
            : _jobs.ContainsKey(id) ? "already running it"
            : null;
        if (refusal is not null)
        {
            await outgoing.WriteAsync(new RunnerMessage { Reject = new JobReject { ExecutionId = id, Reason = refusal } }, ct);
            return;
        }
        var job = new Job(new StreamLogSink(outgoing), new CancellationTokenSource());
        _jobs[id] = job;
        await outgoing.WriteAsync(new RunnerMessage { Ack = new JobAck { ExecutionId = id } }, ct);
        job.Run = Task.Run(() => RunAsync(assign, job), CancellationToken.None);
    }

    public void Cancel(string executionId, string reason)
    {
        if (!_jobs.TryGetValue(executionId, out var job) || job.Result is not null)
            return;
        log.Information("Cancelling execution {ExecutionId}: {Reason}", executionId, reason);
        job.Cancel.Cancel();
    }

    /// <summary>
    /// A new stream was welcomed: the steps it re-attached get the chunks after their resume point again, then their
    /// result if they have one; the host let go of the others, so they are stopped and forgotten.
    /// </summary>
    public async Task ResumeAsync(IEnumerable<ResumePoint> resume, Func<RunnerMessage, Task> send)
    {
        var points = resume.ToDictionary(r => r.ExecutionId, r => r.LastSeq, StringComparer.Ordinal);
        foreach (var (id, job) in _jobs)
        {
            if (!points.TryGetValue(id, out var lastSeq) || job.Sink.After(lastSeq) is not { } missed)
            {
                Cancel(id, "the host no longer holds it");
                if (job.Result is not null)
                    _jobs.TryRemove(id, out _);
                continue;
            }
            foreach (var chunk in missed)
                await send(new RunnerMessage { Log = chunk });
            if (job.Result is { } result)
                await send(new RunnerMessage { Result = result });
        }
    }

    /// <summary>
    /// Forgets steps that finished before <paramref name="before"/>: the stream has carried heartbeats since their
    /// result, so the host has it (the host does not ack results; a stream that stayed up is the evidence).
    /// </summary>
    public void ForgetDelivered(DateTimeOffset before)
    {
        foreach (var (id, job) in _jobs)
        {
            if (job.FinishedAt < before && _jobs.TryRemove(id, out _))
                job.Cancel.Dispose();
        }
    }

    /// <summary>Stops every step and waits for them to end (the agent is exiting).</summary>
    public async Task StopAllAsync()
    {
        foreach (var id in _jobs.Keys)
            Cancel(id, "the agent is stopping");
        await Task.WhenAll(_jobs.Values.Select(j => j.Run));
    }

    private async Task RunAsync(Assign assign, Job job)
    {
        var id = assign.ExecutionId;
        var workspace = Path.Combine(workRoot, id);
        try
        {
            var spec = WireSteps.ToRunner(assign);
            log.Information("Running execution {ExecutionId} ({Type} step)", id, spec.Step.Type);
            await outgoing.WriteAsync(new RunnerMessage { StepState = new StepState { ExecutionId = id, Phase = StepPhase.Started } }, job.Cancel.Token);
            var result = await runner.RunAsync(spec, workspace, job.Sink, job.Cancel.Token);
            job.Result = WireResults.ToWire(id, result, job.Sink.LastSeq);
            job.FinishedAt = DateTimeOffset.UtcNow;
            await outgoing.WriteAsync(new RunnerMessage { Result = job.Result }, CancellationToken.None);
            log.Information("Execution {ExecutionId} ended {Outcome}", id, result.Outcome);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException or ArgumentException)
        {
            log.Warning("Execution {ExecutionId} stopped: {Reason}", id, e.Message);
            _jobs.TryRemove(id, out _);
        }
        finally
        {
            Remove(workspace);
            if (_draining && Running.Count == 0)
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

    private sealed class Job(StreamLogSink sink, CancellationTokenSource cancel)
    {
        public StreamLogSink Sink { get; } = sink;

        public CancellationTokenSource Cancel { get; } = cancel;

        public Task Run { get; set; } = Task.CompletedTask;

        /// <summary>Set once the step ended; kept until the host surely has it.</summary>
        public Protocol.V1.StepResult? Result { get; set; }

        public DateTimeOffset FinishedAt { get; set; } = DateTimeOffset.MaxValue;
    }
}
