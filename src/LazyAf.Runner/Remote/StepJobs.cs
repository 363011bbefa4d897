using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf;
using LazyAf.Protocol.V1;
using LazyAf.Runner.Spool;
using Serilog;

namespace LazyAf.Runner.Remote;

/// <summary>
/// The steps this agent runs: each assignment is acked (or rejected: full, draining, a step kind it lacks), run by the
/// shared <see cref="StepRunner"/> in a workspace of <see cref="AgentWorkspaces"/> (its pipeline run's, or its own). Its chunks and result go to its <see cref="StepSpool"/> on
/// disk, and a pump sends them from there, in seq order, through the agent's outgoing queue, so a step never waits for
/// the network; after the last chunk come the step's outputs (<see cref="WireOutputs"/>), then its result. Steps outlive a broken stream and a host restart: the next stream re-attaches them, replays from the
/// spool what the host missed, and the spool goes once the host says it stored the result.
/// </summary>
internal sealed class StepJobs(StepRunner runner, IReadOnlySet<string> kinds, int capacity, AgentWorkspaces workspaces, string spoolRoot, ChannelWriter<RunnerMessage> outgoing, ILogger log) : IDisposable
{
    // How many chunks are read back from disk at a time.
    private const int Batch = 64;

    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _idle = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _draining;

    // Cancelled when the agent exits: a pump waiting for room in a queue no stream drains must not hold it.
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>What the host should hear about after a reconnect: steps running, and finished ones whose result may not have reached it.</summary>
    public IReadOnlyCollection<string> Held => [.. _jobs.Keys];

    /// <summary>The step token of each held execution, for a host that restarted and forgot them.</summary>
    public Dictionary<string, string> StepTokens => _jobs.ToDictionary(j => j.Key, j => j.Value.StepToken, StringComparer.Ordinal);

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
        var job = new Job(StepSpool.Create(spoolRoot, id), new CancellationTokenSource(), assign.StepToken);
        job.Spool.SaveAssignment(assign.ToByteArray());
        _jobs[id] = job;
        await outgoing.WriteAsync(new RunnerMessage { Ack = new JobAck { ExecutionId = id } }, ct);
        // The step waits in RunAsync for its ack to be written: its start-up (processes, git) must not take the CPU from
        // the ack on its way to the host. The step and its pump go to the global queue, as this thread's local queue
        // runs last-in first-out and holds the ack's write.
        job.Run = Fairly(() => RunAsync(assign, job, (spec, workspace, token) =>
        {
            log.Information("Running execution {ExecutionId} ({Type} step) in {Workspace}", id, spec.Step.Type, workspace);
            return runner.RunAsync(spec, workspace, job.Spool, token);
        }));
        job.Pump = Fairly(() => PumpAsync(job, 0));
    }

    /// <summary>
    /// Takes back a step an earlier process of this agent started, from the spool it left (<see cref="StepSpool.Reopen"/>):
    /// one that had ended keeps its result to send; one still running (its container outlived the agent) is followed
    /// again by <see cref="StepRunner.ReattachAsync"/>, its output from where the spool's ends and its seqs after the
    /// spool's last. Held before the first hello, so the host re-attaches it within its window. False when the spool
    /// holds no assignment to finish.
    /// </summary>
    public bool Reattach(StepSpool spool)
    {
        ArgumentNullException.ThrowIfNull(spool);
        if (spool.Assignment() is not { } saved)
            return false;
        var assign = Assign.Parser.ParseFrom(saved.Assignment);
        var id = assign.ExecutionId;
        var job = new Job(spool, new CancellationTokenSource(), assign.StepToken);
        if (spool.Result is { } ended && spool.Outputs() is { } outputs)
        {
            job.Outputs = WireOutputs.Restore(outputs, spool);
            job.Result = Protocol.V1.StepResult.Parser.ParseFrom(ended);
            _jobs[id] = job;
            job.Pump = Task.Run(() => PumpAsync(job, spool.LastSeq), CancellationToken.None);
            return true;
        }
        var (lastSeq, lastAt) = (spool.LastSeq, spool.LastOutputAt);
        var workspace = workspaces.Reclaim(WireSteps.ToRunner(assign));
        _jobs[id] = job;
        job.Run = Task.Run(() => RunAsync(assign, job, (spec, _, token) =>
        {
            log.Information("Re-attaching to execution {ExecutionId} ({Type} step) in {Workspace}, its log after seq {LastSeq}", id, spec.Step.Type, workspace.Path, lastSeq);
            return runner.ReattachAsync(spec, workspace.Path, job.Spool, lastSeq, lastAt, saved.SavedAt, token);
        }, workspace), CancellationToken.None);
        job.Pump = Task.Run(() => PumpAsync(job, lastSeq), CancellationToken.None);
        return true;
    }

    /// <summary><paramref name="message"/> was written to the host's stream: an ack lets its step start.</summary>
    public void Sent(RunnerMessage message)
    {
        if (message.BodyCase == RunnerMessage.BodyOneofCase.Ack && _jobs.TryGetValue(message.Ack.ExecutionId, out var job))
            job.AckSent.TrySetResult();
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
            if (!points.TryGetValue(id, out var lastSeq))
            {
                Cancel(id, "the host no longer holds it");
                if (job.Result is not null)
                    Forget(id);
                continue;
            }
            job.Spool.Stored(lastSeq);
            for (var missed = job.Spool.After(lastSeq, Batch); missed.Count > 0; missed = job.Spool.After(missed[^1].Seq, Batch))
            {
                foreach (var chunk in missed)
                    await send(new RunnerMessage { Log = WireResults.ToWire(chunk) });
            }
            if (job.Result is { } result)
            {
                await job.Outputs!.SendAsync(send, CancellationToken.None);
                await send(new RunnerMessage { Result = result });
            }
        }
    }

    /// <summary>
    /// The host stored an execution's chunks up to a seq, or its result: once it has the result, the execution is
    /// forgotten and its spool deleted.
    /// </summary>
    public void Stored(Stored stored)
    {
        if (!_jobs.TryGetValue(stored.ExecutionId, out var job))
            return;
        job.Spool.Stored(stored.LastSeq);
        if (stored.Result && job.Result is not null)
            Forget(stored.ExecutionId);
    }

    public void Dispose() => _stopping.Dispose();

    private void Forget(string id)
    {
        if (!_jobs.TryRemove(id, out var job))
            return;
        job.Spool.Delete();
        job.Cancel.Dispose();
    }

    /// <summary>Stops every step and waits for them to end (the agent is exiting).</summary>
    public async Task StopAllAsync()
    {
        await _stopping.CancelAsync();
        foreach (var id in _jobs.Keys)
            Cancel(id, "the agent is stopping");
        await Task.WhenAll(_jobs.Values.Select(j => j.Run));
        foreach (var id in _jobs.Keys)
            Forget(id);
    }

    // Sends the spool's chunks in seq order, then the result, through the outgoing queue. While no stream is up the
    // queue fills and the pump waits; the step does not, it writes to the spool. A stream that breaks loses what the
    // queue had written to it; the next welcome says where the host is, and ResumeAsync sends the rest from the spool.
    private async Task PumpAsync(Job job, long sent)
    {
        try
        {
            while (true)
            {
                await job.Spool.WaitAsync(sent, _stopping.Token);
                var chunks = job.Spool.After(sent, Batch);
                foreach (var chunk in chunks)
                {
                    await outgoing.WriteAsync(new RunnerMessage { Log = WireResults.ToWire(chunk) }, _stopping.Token);
                    sent = chunk.Seq;
                }
                if (chunks.Count == 0 && job.Result is { } result)
                {
                    await job.Outputs!.SendAsync(message => outgoing.WriteAsync(message, _stopping.Token).AsTask(), _stopping.Token);
                    await outgoing.WriteAsync(new RunnerMessage { Result = result }, _stopping.Token);
                    return;
                }
                if (chunks.Count == 0 && !_jobs.ContainsKey(job.Spool.ExecutionId))
                    return;
            }
        }
        catch (Exception e) when (e is ChannelClosedException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            // The agent is stopping, or the host has everything and the spool is gone.
        }
    }

    // Runs the step (started, or re-attached in the workspace it had) and keeps its outputs and result in the spool.
    private async Task RunAsync(Assign assign, Job job, Func<StepSpec, string, CancellationToken, Task<StepResult>> run, AgentWorkspaces.Lease? reclaimed = null)
    {
        var id = assign.ExecutionId;
        var workspace = reclaimed;
        try
        {
            var spec = WireSteps.ToRunner(assign);
            if (reclaimed is null)
                await job.AckSent.Task.WaitAsync(job.Cancel.Token);
            workspace ??= workspaces.Acquire(spec);
            if (reclaimed is null)
                await outgoing.WriteAsync(new RunnerMessage { StepState = new StepState { ExecutionId = id, Phase = StepPhase.Started } }, job.Cancel.Token);
            var result = await run(spec with { ReusedWorkspace = workspace.Reused }, workspace.Path, job.Cancel.Token);
            // Picked and copied while the workspace is still leased; sent (again after a reconnect) from the spool.
            var outputs = WireOutputs.Collect(id, assign.Spec, result, workspace.Path, job.Spool);
            job.Spool.SaveOutputs(outputs.ToBytes());
            job.Outputs = outputs;
            var wire = WireResults.ToWire(id, result, job.Spool.LastSeq);
            wire.Artifacts = outputs.Artifacts;
            wire.ArtifactProblem = outputs.Problem ?? "";
            job.Result = wire;
            job.Spool.SaveResult(wire.ToByteArray());
            // Queued behind its last chunk before the step counts as done, so a drain sends it before the stream ends.
            await job.Pump;
            log.Information("Execution {ExecutionId} ended {Outcome}", id, result.Outcome);
        }
        catch (Exception e) when (e is ChannelClosedException or OperationCanceledException or ArgumentException)
        {
            log.Warning("Execution {ExecutionId} stopped: {Reason}", id, e.Message);
            Forget(id);
        }
        finally
        {
            workspace?.Dispose();
            if (_draining && Running.Count == 0)
                _idle.TrySetResult();
        }
    }

    private static Task Fairly(Func<Task> work) =>
        Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.PreferFairness, TaskScheduler.Default).Unwrap();

    private sealed class Job(StepSpool spool, CancellationTokenSource cancel, string stepToken)
    {
        public StepSpool Spool { get; } = spool;

        public CancellationTokenSource Cancel { get; } = cancel;

        /// <summary>The git credential of the Assign, offered again to a host that restarted.</summary>
        public string StepToken { get; } = stepToken;

        public Task Run { get; set; } = Task.CompletedTask;

        public Task Pump { get; set; } = Task.CompletedTask;

        /// <summary>Set once the ack of a new assignment was written to a stream (it may wait for the next one).</summary>
        public TaskCompletionSource AckSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The step's test cases, coverage and artifacts, set just before <see cref="Result"/>.</summary>
        public WireOutputs? Outputs { get; set; }

        /// <summary>Set once the step ended (after its result is in the spool); kept until the host says it has it.</summary>
        public Protocol.V1.StepResult? Result { get; set; }
    }
}
