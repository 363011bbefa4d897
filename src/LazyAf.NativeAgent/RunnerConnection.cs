using System.Threading.Channels;
using Grpc.Core;
using LazyAf.Protocol.V1;
using LazyAf.Runner;
using Serilog;

namespace LazyAf.NativeAgent;

/// <summary>How one stream ended, for the connection loop.</summary>
internal enum StreamEnd
{
    /// <summary>Drained: every step finished and the stream was closed cleanly; the agent exits.</summary>
    Drained,

    /// <summary>The stream broke or the host closed it; connect again.</summary>
    Lost,

    /// <summary>The host refused this runner (wrong, expired or revoked credential); retrying cannot help.</summary>
    Refused,
}

/// <summary>
/// One <c>Connect</c> stream: hello, welcome, then heartbeats and assignments until it ends. Everything the agent
/// sends goes through one bounded queue and one writer.
/// </summary>
internal sealed class RunnerConnection(AgentOptions options, RunnerIdentity identity, StepRunner runner, IReadOnlySet<string> kinds, ILogger log)
{
    public const string Version = "lazyaf-native-agent/0.1.0";

    /// <summary>Set once a welcome arrived, so the loop knows the connection worked and resets its backoff.</summary>
    public bool Welcomed { get; private set; }

    public async Task<StreamEnd> RunAsync(RunnerService.RunnerServiceClient client, CancellationToken drain, CancellationToken kill)
    {
        using var call = client.Connect(cancellationToken: kill);
        var outgoing = Channel.CreateBounded<RunnerMessage>(new BoundedChannelOptions(256) { SingleReader = true });
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(kill);
        var writing = WriteAsync(call.RequestStream, outgoing.Reader, stream.Token);
        var jobs = new StepJobs(runner, kinds, options.Capacity, Path.Combine(options.StateDir, "work"), outgoing.Writer, log);
        try
        {
            await outgoing.Writer.WriteAsync(new RunnerMessage { Hello = Hello() }, stream.Token);
            if (!await call.ResponseStream.MoveNext(stream.Token) || call.ResponseStream.Current.Welcome is not { } welcome)
                return StreamEnd.Lost;
            Welcome(welcome);
            var heartbeats = HeartbeatAsync(outgoing.Writer, jobs, welcome.HeartbeatInterval.ToTimeSpan(), stream.Token);
            using var draining = drain.Register(() => BeginDrain(jobs, outgoing.Writer, "SIGTERM"));
            await foreach (var message in call.ResponseStream.ReadAllAsync(stream.Token))
            {
                switch (message.BodyCase)
                {
                    case ServerMessage.BodyOneofCase.Assign:
                        await jobs.StartAsync(message.Assign, stream.Token);
                        break;
                    case ServerMessage.BodyOneofCase.Cancel:
                        jobs.Cancel(message.Cancel.ExecutionId, message.Cancel.Reason);
                        break;
                    case ServerMessage.BodyOneofCase.Drain:
                        BeginDrain(jobs, outgoing.Writer, message.Drain.Reason);
                        break;
                }
            }
            await stream.CancelAsync();
            await Quietly(heartbeats);
            return jobs.Idle.IsCompleted ? StreamEnd.Drained : StreamEnd.Lost;
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.Unauthenticated or StatusCode.PermissionDenied or StatusCode.InvalidArgument)
        {
            log.Error("The host refused this runner: {Reason}", e.Status.Detail);
            return StreamEnd.Refused;
        }
        catch (Exception e) when (e is RpcException or IOException or OperationCanceledException or HttpRequestException)
        {
            log.Warning("The stream to {Server} ended: {Reason}", options.Server, e.Message);
            return StreamEnd.Lost;
        }
        finally
        {
            await stream.CancelAsync();
            await jobs.StopAllAsync();
            outgoing.Writer.TryComplete();
            await Quietly(writing);
        }
    }

    private Hello Hello()
    {
        var hello = new Hello
        {
            RunnerId = identity.RunnerId ?? "",
            Name = options.Name,
            Capacity = options.Capacity,
            Version = Version,
            Credential = identity.Credential ?? options.Token ?? "",
        };
        hello.Labels.AddRange(options.Labels);
        hello.StepKinds.AddRange(kinds);
        return hello;
    }

    private void Welcome(Welcome welcome)
    {
        if (welcome.Credential.Length > 0)
        {
            identity.Save(welcome.RunnerId, welcome.Credential);
            log.Information("Registered as runner {RunnerId}; its credential is in {File}", welcome.RunnerId, identity.File);
        }
        Welcomed = true;
        log.Information("Connected to {Server} as runner {RunnerId} (session {SessionId}), labels {Labels}", options.Server, welcome.RunnerId, welcome.SessionId, options.Labels);
    }

    // Drained: once nothing runs, the request stream is completed; the host then ends the call.
    private void BeginDrain(StepJobs jobs, ChannelWriter<RunnerMessage> outgoing, string reason)
    {
        log.Information("Draining ({Reason}): finishing {Running} steps, taking no new ones", reason, jobs.Running.Count);
        jobs.Drain();
        _ = jobs.Idle.ContinueWith(_ => outgoing.TryComplete(), TaskScheduler.Default);
    }

    private static async Task HeartbeatAsync(ChannelWriter<RunnerMessage> outgoing, StepJobs jobs, TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(5));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var heartbeat = new Heartbeat { SentAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
            heartbeat.Running.AddRange(jobs.Running);
            if (!outgoing.TryWrite(new RunnerMessage { Heartbeat = heartbeat }))
                await outgoing.WriteAsync(new RunnerMessage { Heartbeat = heartbeat }, ct);
        }
    }

    private static async Task WriteAsync(IClientStreamWriter<RunnerMessage> requests, ChannelReader<RunnerMessage> outgoing, CancellationToken ct)
    {
        await foreach (var message in outgoing.ReadAllAsync(ct))
            await requests.WriteAsync(message, ct);
        await requests.CompleteAsync();
    }

    private static async Task Quietly(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or RpcException or IOException or InvalidOperationException or ChannelClosedException)
        {
            // The stream is over; what it could not send is lost with it.
        }
    }
}
