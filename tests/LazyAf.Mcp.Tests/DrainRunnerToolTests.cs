using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using LazyAf.Protocol.V1;
using LazyAf.Testing;

namespace LazyAf.Mcp.Tests;

/// <summary><c>drain_runner</c> against a host with a runner endpoint: a runner registered over the real protocol is told to drain.</summary>
public sealed class DrainRunnerToolTests : IAsyncLifetime
{
    private LazyAfHost _host = null!;
    private string _runnerUrl = "";

    public Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _runnerUrl = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        listener.Stop();
        _host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Runners:Url"] = _runnerUrl });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Drain_runner_sends_the_runner_a_drain_and_the_runner_list_shows_it_draining()
    {
        var token = (await (await _host.Client.PostJsonAsync("/api/runners/tokens", new { description = "mcp drain", uses = 1 })).JsonAsync(HttpStatusCode.Created)).Str("token");
        using var channel = GrpcChannel.ForAddress(_runnerUrl);
        using var call = new RunnerService.RunnerServiceClient(channel).Connect();
        var hello = new Hello { Name = "drained", Capacity = 1, Version = "test/1", Credential = token };
        hello.StepKinds.Add("script");
        await call.RequestStream.WriteAsync(new RunnerMessage { Hello = hello });
        Assert.True(await call.ResponseStream.MoveNext());
        var runnerId = call.ResponseStream.Current.Welcome.RunnerId;
        await using var client = await McpSessions.ConnectAsync(_host, McpTransport.Http);

        (await client.CallAsync("drain_runner", new() { ["runner_id"] = runnerId })).Ok();

        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServerMessage.BodyOneofCase.Drain, call.ResponseStream.Current.BodyCase);
        var listed = (await (await _host.Client.GetAsync("/api/runners")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().Single(r => r.Str("id") == runnerId);
        Assert.True(listed.GetProperty("draining").GetBoolean(), listed.ToString());
        var unknown = (await client.CallAsync("drain_runner", new() { ["runner_id"] = "0123456789abcdef0123456789abcdef" })).Error();
        Assert.StartsWith("LazyAF answered 404 Not Found to POST /api/runners/", unknown, StringComparison.Ordinal);
    }
}
