using System.Net;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using LazyAf.Protocol.V1;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// <c>lazyaf runners</c> and <c>lazyaf runner token|drain|revoke</c> against a real host with a runner endpoint: a
/// runner registers over the real runner protocol with the token the CLI made, is listed, drained and revoked.
/// </summary>
public sealed class RunnerCommandsTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;
    private LazyafCli _cli = null!;
    private string _runnerUrl = "";

    public Task InitializeAsync()
    {
        _runnerUrl = $"http://127.0.0.1:{FreePort()}";
        _host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Runners:Url"] = _runnerUrl });
        _cli = new LazyafCli(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_runner_registered_with_a_cli_token_is_listed_drained_and_revoked()
    {
        Assert.Contains("No runners yet", (await _cli.RunAsync(_work.Path, "runners")).AssertSucceeded().Output, StringComparison.Ordinal);
        var made = (await _cli.RunAsync(_work.Path, "runner", "token", "--expires", "2h", "--uses", "1", "--description", "the bench Pi")).AssertSucceeded();
        var token = made.Output.Split('\n')[0];
        Assert.StartsWith("lzreg_", token, StringComparison.Ordinal);
        Assert.Contains("1 use", made.Output, StringComparison.Ordinal);

        using var channel = GrpcChannel.ForAddress(_runnerUrl);
        using var call = new RunnerService.RunnerServiceClient(channel).Connect();
        var hello = new Hello { Name = "bench-pi", Capacity = 2, Version = "test/1", Credential = token };
        hello.Labels.Add("arch=arm64");
        hello.StepKinds.Add("script");
        await call.RequestStream.WriteAsync(new RunnerMessage { Hello = hello });
        Assert.True(await call.ResponseStream.MoveNext());
        var runnerId = call.ResponseStream.Current.Welcome.RunnerId;

        var listed = (await _cli.RunAsync(_work.Path, "runners")).AssertSucceeded().Output;
        var row = listed.Split('\n').Single(l => l.StartsWith(runnerId, StringComparison.Ordinal));
        Assert.Contains("bench-pi", row, StringComparison.Ordinal);
        Assert.Contains("idle", row, StringComparison.Ordinal);
        Assert.Contains("arch=arm64", row, StringComparison.Ordinal);

        Assert.Contains($"Draining runner {runnerId}", (await _cli.RunAsync(_work.Path, "runner", "drain", runnerId[..10])).AssertSucceeded().Output, StringComparison.Ordinal);
        Assert.True(await call.ResponseStream.MoveNext());
        Assert.Equal(ServerMessage.BodyOneofCase.Drain, call.ResponseStream.Current.BodyCase);
        Assert.Contains("(draining)", (await _cli.RunAsync(_work.Path, "runners")).AssertSucceeded().Output, StringComparison.Ordinal);

        Assert.Contains($"Revoked runner {runnerId}", (await _cli.RunAsync(_work.Path, "runner", "revoke", runnerId[^8..])).AssertSucceeded().Output, StringComparison.Ordinal);
        var ended = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.True(ended.StatusCode == StatusCode.PermissionDenied, ended.Status.ToString());
        Assert.DoesNotContain(runnerId, (await _cli.RunAsync(_work.Path, "runners")).AssertSucceeded().Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--expires must be a duration such as 30m, 12h or 7d", "runner", "token", "--expires", "5y")]
    [InlineData("--expires must be a duration such as 30m, 12h or 7d", "runner", "token", "--expires", "31d")]
    [InlineData("--uses must be a whole number", "runner", "token", "--uses", "-1")]
    [InlineData("--uses must be a whole number", "runner", "token", "--uses", "many")]
    [InlineData("LazyAF has no runner 'nosuch'", "runner", "drain", "nosuch")]
    [InlineData("LazyAF has no runner 'nosuch'", "runner", "revoke", "nosuch")]
    public async Task Bad_runner_input_fails_with_one_line(string message, params string[] args)
    {
        Assert.Contains(message, (await _cli.RunAsync(_work.Path, args)).AssertFailedWithOneLine(), StringComparison.Ordinal);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
