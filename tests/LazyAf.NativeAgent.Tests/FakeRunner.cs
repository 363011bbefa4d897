using System.Threading.Channels;
using Grpc.Core;
using Grpc.Net.Client;
using LazyAf.Protocol.V1;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// A runner the test speaks for, message by message, over a real gRPC stream: to misbehave in ways LazyAF's agents
/// never do (take a job and never ack it, send a hello that is too big).
/// </summary>
internal sealed class FakeRunner : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly AsyncDuplexStreamingCall<RunnerMessage, ServerMessage> _call;
    private readonly Channel<ServerMessage> _received = Channel.CreateUnbounded<ServerMessage>();
    private readonly Task _reading;

    private FakeRunner(string url)
    {
        _channel = GrpcChannel.ForAddress(url);
        _call = new RunnerService.RunnerServiceClient(_channel).Connect();
        _reading = ReadAsync();
    }

    /// <summary>How the call ended, once it has.</summary>
    public Status? Ended { get; private set; }

    public static async Task<FakeRunner> ConnectAsync(string url, Hello hello)
    {
        var runner = new FakeRunner(url);
        await runner.SendAsync(new RunnerMessage { Hello = hello });
        return runner;
    }

    /// <summary>Opens a stream and sends nothing yet.</summary>
    public static Task<FakeRunner> ConnectAsync(string url) => Task.FromResult(new FakeRunner(url));

    public static Hello Hello(string credential, params string[] labels)
    {
        var hello = new Hello { Name = "fake", Capacity = 1, Version = "fake/1", Credential = credential };
        hello.Labels.AddRange(labels);
        hello.StepKinds.Add("script");
        return hello;
    }

    public Task SendAsync(RunnerMessage message) => _call.RequestStream.WriteAsync(message);

    /// <summary>The next message from the host of the given kind (others are skipped); null when the call ended first.</summary>
    public async Task<ServerMessage?> NextAsync(ServerMessage.BodyOneofCase kind, TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            while (await _received.Reader.WaitToReadAsync(wait.Token))
            {
                while (_received.Reader.TryRead(out var message))
                {
                    if (message.BodyCase == kind)
                        return message;
                }
            }
            return null;
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The host sent no {kind}.");
        }
    }

    /// <summary>Waits for the call to end; returns its status.</summary>
    public async Task<Status> EndedAsync()
    {
        await _reading.WaitAsync(TimeSpan.FromSeconds(60));
        return Ended!.Value;
    }

    public async ValueTask DisposeAsync()
    {
        _call.Dispose();
        await _reading;
        _channel.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            await foreach (var message in _call.ResponseStream.ReadAllAsync())
                await _received.Writer.WriteAsync(message);
            Ended = Status.DefaultSuccess;
        }
        catch (RpcException e)
        {
            Ended = e.Status;
        }
        _received.Writer.TryComplete();
    }
}
