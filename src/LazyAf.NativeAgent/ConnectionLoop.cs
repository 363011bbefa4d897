using System.Threading.Channels;
using LazyAf.Protocol.V1;
using LazyAf.Runner;
using LazyAf.Runner.Spool;
using Serilog;

namespace LazyAf.NativeAgent;

/// <summary>
/// Keeps the agent connected: a stream that ends is dialled again after a jittered, doubling backoff (0.5 s up to
/// 30 s, back to the start once a welcome arrived), so a fleet does not reconnect in lock-step after a host restart.
/// The steps and the outgoing queue belong to the loop, not to one stream, so a step keeps running across a reconnect.
/// </summary>
internal sealed class ConnectionLoop(AgentOptions options, RunnerIdentity identity, StepRunner runner, IReadOnlySet<string> kinds, ILogger log)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Runs until drained (0), refused (2) or killed.</summary>
    public async Task<int> RunAsync(RunnerService.RunnerServiceClient client, CancellationToken drain, CancellationToken kill)
    {
        var outgoing = Channel.CreateBounded<RunnerMessage>(new BoundedChannelOptions(256) { SingleReader = true });
        // What a dead agent spooled is of steps that died with it: the host fails them when this agent's hello lacks them.
        var spool = StepSpool.RootOf(options.StateDir);
        foreach (var left in StepSpool.ClearLeftovers(spool))
            log.Warning("Dropped what execution {ExecutionId} spooled before this agent restarted", left);
        using var jobs = new StepJobs(runner, kinds, options.Capacity, Path.Combine(options.StateDir, "work"), spool, outgoing.Writer, log);
        try
        {
            return await ConnectAsync(client, jobs, outgoing, drain, kill);
        }
        finally
        {
            await jobs.StopAllAsync();
        }
    }

    private async Task<int> ConnectAsync(RunnerService.RunnerServiceClient client, StepJobs jobs, Channel<RunnerMessage> outgoing, CancellationToken drain, CancellationToken kill)
    {
        var backoff = FirstBackoff;
        while (!kill.IsCancellationRequested)
        {
            var connection = new RunnerConnection(options, identity, jobs, kinds, outgoing, log);
            var end = await connection.RunAsync(client, drain, kill);
            if (end == StreamEnd.Drained)
            {
                log.Information("Drained; exiting");
                return 0;
            }
            if (end == StreamEnd.Refused)
                return 2;
            if (drain.IsCancellationRequested && jobs.Running.Count == 0)
                return 0;
            if (connection.Welcomed)
                backoff = FirstBackoff;
            var wait = backoff * (0.5 + Random.Shared.NextDouble() / 2);
            log.Information("Connecting again in {Delay:0.0} s", wait.TotalSeconds);
            try
            {
                await Task.Delay(wait, kill);
            }
            catch (OperationCanceledException)
            {
                return 0;
            }
            backoff = backoff * 2 > MaxBackoff ? MaxBackoff : backoff * 2;
        }
        return 0;
    }
}
