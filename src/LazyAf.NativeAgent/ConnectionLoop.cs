using LazyAf.Protocol.V1;
using LazyAf.Runner;
using Serilog;

namespace LazyAf.NativeAgent;

/// <summary>
/// Keeps the agent connected: a stream that ends is dialled again after a jittered, doubling backoff (0.5 s up to
/// 30 s, back to the start once a welcome arrived), so a fleet does not reconnect in lock-step after a host restart.
/// </summary>
internal sealed class ConnectionLoop(AgentOptions options, RunnerIdentity identity, StepRunner runner, IReadOnlySet<string> kinds, ILogger log)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Runs until drained (0), refused (2) or killed.</summary>
    public async Task<int> RunAsync(RunnerService.RunnerServiceClient client, CancellationToken drain, CancellationToken kill)
    {
        var backoff = FirstBackoff;
        while (!kill.IsCancellationRequested)
        {
            var connection = new RunnerConnection(options, identity, runner, kinds, log);
            var end = await connection.RunAsync(client, drain, kill);
            if (end == StreamEnd.Drained)
            {
                log.Information("Drained; exiting");
                return 0;
            }
            if (end == StreamEnd.Refused)
                return 2;
            if (drain.IsCancellationRequested)
                return 0;
            if (connection.Welcomed)
                backoff = FirstBackoff;
            var wait = backoff * (0.5 + Random.Shared.NextDouble() / 2);
            log.Information("Connecting again in {Delay:0.0} s", wait.TotalSeconds);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(drain, kill);
            try
            {
                await Task.Delay(wait, stop.Token);
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
