using System.Threading.Channels;
using LazyAf.Protocol.V1;
using LazyAf.Runner.Spool;
using Serilog;

namespace LazyAf.Runner.Remote;

/// <summary>
/// Keeps the agent connected: a stream that ends is dialled again after a jittered, doubling backoff (0.5 s up to
/// 30 s, back to the start once a welcome arrived), so a fleet does not reconnect in lock-step after a host restart.
/// The steps and the outgoing queue belong to the loop, not to one stream, so a step keeps running across a reconnect.
/// </summary>
internal sealed class ConnectionLoop(AgentProgram program, AgentOptions options, RunnerIdentity identity, IReadOnlyList<IStepKind> kinds, StepRunner runner, ILogger log)
{
    private readonly HashSet<string> _types = new(kinds.Select(k => k.Type), StringComparer.Ordinal);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Runs until drained, refused or killed; returns the exit code (<see cref="RemoteAgent"/>).</summary>
    public async Task<int> RunAsync(RunnerService.RunnerServiceClient client, CancellationToken drain, CancellationToken kill)
    {
        // Its writer runs on the thread that queued the message when it is idle: a job's ack leaves at once, rather than
        // after a wait for a thread-pool thread (most of what dispatching a step to this agent cost).
        var outgoing = Channel.CreateBounded<RunnerMessage>(new BoundedChannelOptions(256) { SingleReader = true, AllowSynchronousContinuations = true });
        var spool = StepSpool.RootOf(options.StateDir);
        var workspaces = new AgentWorkspaces(options.WorkDir, options.WarmPerRepo, log);
        using var jobs = new StepJobs(runner, _types, options.Capacity, workspaces, spool, outgoing.Writer, log);
        await ReattachLeftoversAsync(jobs, spool, kill);
        workspaces.ClearLeftovers();
        using var reaper = new PausedWorkspaceReaper(options.DebugIdle, TimeProvider.System);
        var environments = new AgentEnvironments(runner, workspaces, reaper, outgoing.Writer, log);
        try
        {
            return await ConnectAsync(client, jobs, environments, outgoing, drain, kill);
        }
        finally
        {
            await jobs.StopAllAsync();
        }
    }

    private async Task<int> ConnectAsync(RunnerService.RunnerServiceClient client, StepJobs jobs, AgentEnvironments environments, Channel<RunnerMessage> outgoing, CancellationToken drain, CancellationToken kill)
    {
        var backoff = FirstBackoff;
        while (!kill.IsCancellationRequested)
        {
            var connection = new RunnerConnection(program, options, identity, jobs, environments, _types, outgoing, log);
            var end = await connection.RunAsync(client, drain, kill);
            if (end == StreamEnd.Drained)
            {
                log.Information("Drained; exiting");
                return RemoteAgent.Drained;
            }
            if (end == StreamEnd.Refused)
                return RemoteAgent.Refused;
            if (drain.IsCancellationRequested && jobs.Running.Count == 0)
                return RemoteAgent.Drained;
            if (connection.Welcomed)
                backoff = FirstBackoff;
            var wait = backoff * (0.5 + Random.Shared.NextDouble() / 2);
            log.Information("Connecting again in {Delay:0.0} s", wait.TotalSeconds);
            // A SIGTERM while the host is away, with nothing running, ends the wait: the agent exits at once.
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(kill);
            using var stopping = jobs.Running.Count == 0 ? drain.Register(waiting.Cancel) : default;
            try
            {
                await Task.Delay(wait, waiting.Token);
            }
            catch (OperationCanceledException)
            {
                return RemoteAgent.Drained;
            }
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
        return RemoteAgent.Drained;
    }

    /// <summary>
    /// What an earlier process of this agent spooled: a step whose kind outlives the agent (a container) and is still
    /// there, or one that had ended, is taken back (the host re-attaches it when this agent is back within its window);
    /// the others died with that process: their spools go, and the host fails them when this agent's hello lacks them.
    /// </summary>
    private async Task ReattachLeftoversAsync(StepJobs jobs, string spool, CancellationToken ct)
    {
        foreach (var left in StepSpool.Leftovers(spool))
        {
            var reopened = StepSpool.Reopen(spool, left);
            if (await OutlivedAsync(reopened, ct) && jobs.Reattach(reopened))
                continue;
            reopened.Delete();
            log.Warning("Dropped what execution {ExecutionId} spooled before this agent restarted", left);
            await DiscardAsync(left, ct);
        }
    }

    // Ended with its result spooled, or its step still there for a kind that outlives the agent.
    private async Task<bool> OutlivedAsync(StepSpool spool, CancellationToken ct)
    {
        if (spool.Assignment() is not { } saved)
            return false;
        if (spool.Result is not null)
            return spool.Outputs() is not null;
        var type = WireSteps.TypeOf(Assign.Parser.ParseFrom(saved.Assignment).Spec?.Step);
        if (kinds.FirstOrDefault(k => k.Type == type) is not IReattachableStepKind kind)
            return false;
        try
        {
            return await kind.OutlivedAsync(spool.ExecutionId, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Warning("Could not look for what is left of execution {ExecutionId}'s {Type} step: {Reason}", spool.ExecutionId, type, e.Message);
            return false;
        }
    }

    // A step kind whose steps outlive the agent (a container) still has the dead agent's step running: it goes too.
    private async Task DiscardAsync(string executionId, CancellationToken ct)
    {
        foreach (var kind in kinds.OfType<IReattachableStepKind>())
        {
            try
            {
                await kind.DiscardAsync(executionId, ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Warning("Could not remove what is left of execution {ExecutionId}'s {Type} step: {Reason}", executionId, kind.Type, e.Message);
            }
        }
    }
}
