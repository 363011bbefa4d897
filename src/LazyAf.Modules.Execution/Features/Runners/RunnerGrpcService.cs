using Google.Protobuf.WellKnownTypes;
using System.Threading.Channels;
using Grpc.Core;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Protocol.V1;
using Microsoft.Extensions.Hosting;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>
/// <c>lazyaf.runner.v1.RunnerService</c>: one call per connected runner. The first message must be a hello; once
/// <see cref="RunnerAdmission"/> accepts it the runner's session reads the rest, in order, until the runner leaves,
/// its connection breaks, or the host closes the call (revoked, dead, replaced).
/// </summary>
internal sealed class RunnerGrpcService(RunnerAdmission admission, RunnerHub hub, RunnerOptions options, IHostApplicationLifetime lifetime) : RunnerService.RunnerServiceBase
{
    public override async Task Connect(IAsyncStreamReader<RunnerMessage> requestStream, IServerStreamWriter<ServerMessage> responseStream, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        if (!await requestStream.MoveNext(ct))
            return;
        if (requestStream.Current.BodyCase != RunnerMessage.BodyOneofCase.Hello)
            throw new RpcException(new Status(StatusCode.InvalidArgument, "the first message must be a hello"));
        var hello = requestStream.Current.Hello;
        var admitted = await admission.AdmitAsync(hello, context.Peer, ct);

        using var stream = new RunnerStream(ct);
        // A stream lasts as long as the runner does; a stopping host ends it rather than wait out its shutdown timeout.
        using var stopping = lifetime.ApplicationStopping.Register(() => stream.Close(new Status(StatusCode.Unavailable, "the host is stopping")));
        var welcome = new Welcome
        {
            RunnerId = admitted.Runner.Id,
            Credential = admitted.IssuedCredential ?? "",
            SessionId = stream.SessionId,
            HeartbeatInterval = Duration.FromTimeSpan(options.HeartbeatInterval),
        };
        var writing = stream.PumpAsync(responseStream);
        var session = await hub.AttachAsync(admitted.Runner, [.. hello.Running], hello.StepTokens, stream, welcome);
        var clean = false;
        try
        {
            await foreach (var message in requestStream.ReadAllAsync(stream.Closed))
                await session.HandleAsync(stream, message);
            clean = true;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
        {
            // A message over the limit (RunnerOptions.MaxMessageBytes): the runner hears why its stream ends.
            stream.Close(new Status(StatusCode.ResourceExhausted, $"{e.Status.Detail} ({RunnerOptions.MaxMessageBytes} bytes)"));
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or RpcException || e is ChannelClosedException && stream.CloseStatus is not null)
        {
            // Closed by the host (its status is thrown below; a chunk may meet its run's log already closed) or the
            // connection broke: the session decides what it means.
        }
        finally
        {
            var closedByHost = stream.CloseStatus;
            stream.End();
            await Ended(writing);
            await session.DetachAsync(stream, clean && closedByHost is null);
        }
        if (stream.CloseStatus is { StatusCode: not StatusCode.OK } status)
            throw new RpcException(status);
    }

    private static async Task Ended(Task writing)
    {
        try
        {
            await writing;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException or RpcException)
        {
            // The call is over; nothing more can be written.
        }
    }
}
