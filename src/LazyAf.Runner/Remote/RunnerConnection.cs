using System.Threading.Channels;
using Grpc.Core;
using LazyAf.Protocol.V1;
using Serilog;

namespace LazyAf.Runner.Remote;

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
/// One <c>Connect</c> stream: hello (with the steps still held from an earlier stream), welcome, the chunks the host
/// missed, then heartbeats and assignments until it ends. Everything else the agent sends comes from its one outgoing
/// queue, written by one writer; a message leaves the queue only once it was written, so a broken stream loses none
/// of it to the next. Debug environments and terminals live on one stream: they end with it.
/// </summary>
internal sealed class RunnerConnection(AgentProgram program, AgentOptions options, RunnerIdentity identity, StepJobs jobs, AgentEnvironments environments, IReadOnlySet<string> kinds, Channel<RunnerMessage> outgoing, ILogger log)
{
    private static readonly TimeSpan WelcomeTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Set once a welcome arrived, so the loop knows the connection worked and resets its backoff.</summary>
    public bool Welcomed { get; private set; }

    public async Task<StreamEnd> RunAsync(RunnerService.RunnerServiceClient client, CancellationToken drain, CancellationToken kill)
    {
        using var stream = CancellationTokenSource.CreateLinkedTokenSource(kill);
        using var call = client.Connect(cancellationToken: stream.Token);
        var writing = Task.CompletedTask;
        var heartbeats = Task.CompletedTask;
        try
        {
            // A host that takes the call but never answers the hello (one half stopped) must not hold the agent.
            using (var welcoming = CancellationTokenSource.CreateLinkedTokenSource(stream.Token))
            {
                welcoming.CancelAfter(WelcomeTimeout);
                await call.RequestStream.WriteAsync(new RunnerMessage { Hello = Hello() }, welcoming.Token);
                if (!await call.ResponseStream.MoveNext(welcoming.Token) || call.ResponseStream.Current.Welcome is null)
                    return StreamEnd.Lost;
            }
            var welcome = call.ResponseStream.Current.Welcome;
            Welcome(welcome);
            await jobs.ResumeAsync(welcome.Resume, message => call.RequestStream.WriteAsync(message, stream.Token));
            writing = WriteAsync(call.RequestStream, outgoing.Reader, jobs, stream.Token);
            var interval = welcome.HeartbeatInterval.ToTimeSpan();
            heartbeats = HeartbeatAsync(interval > TimeSpan.Zero ? interval : TimeSpan.FromSeconds(5), stream.Token);
            using var draining = drain.Register(() => BeginDrain("SIGTERM"));
            await foreach (var message in call.ResponseStream.ReadAllAsync(stream.Token))
            {
                switch (message.BodyCase)
                {
                    case ServerMessage.BodyOneofCase.Assign:
                        await environments.ReleaseRunAsync(message.Assign.Spec?.RunId);
                        await jobs.StartAsync(message.Assign, stream.Token);
                        break;
                    case ServerMessage.BodyOneofCase.Cancel:
                        jobs.Cancel(message.Cancel.ExecutionId, message.Cancel.Reason);
                        break;
                    case ServerMessage.BodyOneofCase.Drain:
                        BeginDrain(message.Drain.Reason);
                        break;
                    case ServerMessage.BodyOneofCase.Stored:
                        jobs.Stored(message.Stored);
                        break;
                    case ServerMessage.BodyOneofCase.PrepareEnvironment:
                        environments.Prepare(message.PrepareEnvironment, stream.Token);
                        break;
                    case ServerMessage.BodyOneofCase.OpenTerminal:
                        await environments.OpenAsync(message.OpenTerminal);
                        break;
                    case ServerMessage.BodyOneofCase.TerminalInput:
                        await environments.InputAsync(message.TerminalInput);
                        break;
                    case ServerMessage.BodyOneofCase.TerminalResize:
                        environments.Resize(message.TerminalResize);
                        break;
                    case ServerMessage.BodyOneofCase.CloseTerminal:
                        await environments.CloseAsync(message.CloseTerminal.TerminalId, message.CloseTerminal.Reason);
                        break;
                    case ServerMessage.BodyOneofCase.ReleaseEnvironment:
                        await environments.ReleaseAsync(message.ReleaseEnvironment.EnvironmentId);
                        break;
                }
            }
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
            await Quietly(heartbeats);
            await Quietly(writing);
            await environments.EndAllAsync();
        }
    }

    private Hello Hello()
    {
        var hello = new Hello
        {
            RunnerId = identity.RunnerId ?? "",
            Name = options.Name,
            Capacity = options.Capacity,
            Version = $"{program.Name}/{program.Version}",
            Credential = identity.Credential ?? options.Token ?? "",
        };
        hello.Labels.AddRange(options.Labels);
        hello.StepKinds.AddRange(kinds);
        hello.Running.AddRange(jobs.Held);
        hello.StepTokens.Add(jobs.StepTokens);
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
        log.Information("Connected to {Server} as runner {RunnerId} (session {SessionId}), labels {Labels}, re-attached {Resumed}",
            options.Server, welcome.RunnerId, welcome.SessionId, options.Labels, welcome.Resume.Select(r => r.ExecutionId));
    }

    // Drained: once nothing runs, the outgoing queue is completed, so the writer completes the request stream and the
    // host ends the call.
    private void BeginDrain(string reason)
    {
        log.Information("Draining ({Reason}): finishing {Running} steps, taking no new ones", reason, jobs.Running.Count);
        jobs.Drain();
        _ = jobs.Idle.ContinueWith(_ => outgoing.Writer.TryComplete(), TaskScheduler.Default);
    }

    private async Task HeartbeatAsync(TimeSpan interval, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(ct))
        {
            var heartbeat = new Heartbeat { SentAt = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
            heartbeat.Running.AddRange(jobs.Running);
            await outgoing.Writer.WriteAsync(new RunnerMessage { Heartbeat = heartbeat }, ct);
        }
    }

    private static async Task WriteAsync(IClientStreamWriter<RunnerMessage> requests, ChannelReader<RunnerMessage> outgoing, StepJobs jobs, CancellationToken ct)
    {
        while (await outgoing.WaitToReadAsync(ct))
        {
            while (outgoing.TryPeek(out var message))
            {
                await requests.WriteAsync(message, ct);
                outgoing.TryRead(out _);
                jobs.Sent(message);
            }
        }
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
            // The stream is over; what it could not send stays queued for the next one.
        }
    }
}
