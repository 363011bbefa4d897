using Grpc.Core;
using LazyAf.Protocol.V1;
using LazyAf.Testing;

namespace LazyAf.NativeAgent.Tests;

/// <summary>The host's side of the runner protocol, driven by a runner the test speaks for and by the real agent.</summary>
public sealed class RunnerProtocolTests : IAsyncLifetime
{
    private readonly TempDir _work = new("lazyaf-protocol-test");
    private readonly List<IAsyncDisposable> _owned = [];
    private RunnerHost _host = null!;

    public Task InitializeAsync()
    {
        _host = RunnerHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var owned in _owned)
            await owned.DisposeAsync();
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task An_assignment_without_an_ack_goes_to_another_runner_and_a_late_ack_is_cancelled()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "ack");
        var silent = await ConnectAsync(FakeRunner.Hello(await _host.RegistrationTokenAsync(), "pool=ack"));
        Assert.NotNull(await silent.NextAsync(ServerMessage.BodyOneofCase.Welcome));
        var execution = await _host.StartScriptCardAsync(repo.Id, "echo on the second runner", "pool=ack");
        var assign = await silent.NextAsync(ServerMessage.BodyOneofCase.Assign);
        Assert.Equal(execution, assign!.Assign.ExecutionId);
        Assert.Equal("echo on the second runner", assign.Assign.Spec.Step.Script.Command);
        Assert.NotEmpty(assign.Assign.StepToken);

        var agent = AgentProcess.Start(["--server", _host.RunnerUrl, "--labels", "pool=ack", "--name", "second",
            "--state-dir", _work.Combine("second"), "--token", await _host.RegistrationTokenAsync()]);
        _owned.Add(agent);
        var second = await _host.ConnectedRunnerAsync("pool=ack", "second");
        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed", TimeSpan.FromSeconds(60));

        Assert.Equal("succeeded", ended.Str("state"));
        Assert.Equal(second.Str("id"), ended.Str("runner"));
        await silent.SendAsync(new RunnerMessage { Ack = new JobAck { ExecutionId = execution } });
        var cancel = await silent.NextAsync(ServerMessage.BodyOneofCase.Cancel);
        Assert.Equal(execution, cancel!.Cancel.ExecutionId);
    }

    [Fact]
    public async Task Log_chunks_out_of_order_or_repeated_are_stored_once_each_in_seq_order()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "reordered");
        var runner = await ConnectAsync(FakeRunner.Hello(await _host.RegistrationTokenAsync(), "pool=reorder"));
        Assert.NotNull(await runner.NextAsync(ServerMessage.BodyOneofCase.Welcome));
        var execution = await _host.StartScriptCardAsync(repo.Id, "echo never run", "pool=reorder");
        var assign = (await runner.NextAsync(ServerMessage.BodyOneofCase.Assign))!.Assign;
        await runner.SendAsync(new RunnerMessage { Ack = new JobAck { ExecutionId = execution } });
        await _host.ExecutionWhenAsync(execution, e => e.Str("state") == "running");

        foreach (var seq in new long[] { 1, 3, 2, 2, 5, 1, 4, 3, 6 })
            await runner.SendAsync(new RunnerMessage { Log = Chunk(execution, seq) });
        await runner.SendAsync(new RunnerMessage { Result = new StepResult
        {
            ExecutionId = execution, Outcome = StepOutcome.Succeeded, ExitCode = 0, Branch = assign.Spec.Repo.WorkBranch, LastSeq = 6,
        } });

        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed");
        Assert.Equal("succeeded", ended.Str("state"));
        var chunks = await _host.LogsAsync(execution);
        Assert.Equal([1L, 2, 3, 4, 5, 6], chunks.Select(c => c.Seq));
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"line {i}\n"), chunks.Select(c => c.Text));
        // The host tells the runner it has the result, so the runner can drop what it kept.
        var stored = await runner.NextAsync(ServerMessage.BodyOneofCase.Stored);
        Assert.Equal(execution, stored!.Stored.ExecutionId);
        Assert.True(stored.Stored.Result);
    }

    [Fact]
    public async Task While_a_step_runs_the_host_tells_its_runner_how_far_the_log_is_stored()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "told-stored");
        var runner = await ConnectAsync(FakeRunner.Hello(await _host.RegistrationTokenAsync(), "pool=stored"));
        Assert.NotNull(await runner.NextAsync(ServerMessage.BodyOneofCase.Welcome));
        var execution = await _host.StartScriptCardAsync(repo.Id, "echo never run", "pool=stored");
        Assert.NotNull(await runner.NextAsync(ServerMessage.BodyOneofCase.Assign));
        await runner.SendAsync(new RunnerMessage { Ack = new JobAck { ExecutionId = execution } });
        await _host.ExecutionWhenAsync(execution, e => e.Str("state") == "running");

        // Chunks go on until the host says what it stored: a runner's spool would otherwise keep a long step's whole log.
        var seq = 0L;
        var told = runner.NextAsync(ServerMessage.BodyOneofCase.Stored, TimeSpan.FromSeconds(60));
        while (!told.IsCompleted && seq < 100_000)
            await runner.SendAsync(new RunnerMessage { Log = Chunk(execution, ++seq) });
        var stored = (await told)!.Stored;

        Assert.Equal(execution, stored.ExecutionId);
        Assert.False(stored.Result);
        Assert.InRange(stored.LastSeq, 256, seq);
        Assert.Equal(Enumerable.Range(1, (int)stored.LastSeq).Select(i => (long)i), (await _host.LogsAsync(execution)).Select(c => c.Seq).Take((int)stored.LastSeq));
    }

    [Fact]
    public async Task A_message_over_the_size_limit_ends_the_stream_with_resource_exhausted()
    {
        var runner = await ConnectAsync(FakeRunner.Hello(await _host.RegistrationTokenAsync(), "pool=big"));
        Assert.NotNull(await runner.NextAsync(ServerMessage.BodyOneofCase.Welcome));

        try
        {
            await runner.SendAsync(new RunnerMessage { Log = new LogChunk
            {
                ExecutionId = "0123456789abcdef0123456789abcdef", Seq = 1, Stream = LogStream.Stdout,
                Data = Google.Protobuf.ByteString.CopyFrom(new byte[5 * 1024 * 1024]),
            } });
        }
        catch (RpcException)
        {
            // The host may end the call while the message is still being sent; its status is what counts.
        }

        var status = await runner.EndedAsync();
        Assert.Equal(StatusCode.ResourceExhausted, status.StatusCode);
        Assert.Contains("exceeds the maximum configured message size", status.Detail, StringComparison.Ordinal);
        Assert.Single(await _host.RunnersAsync());
    }

    private static LogChunk Chunk(string execution, long seq) => new()
    {
        ExecutionId = execution,
        Seq = seq,
        Stream = LogStream.Stdout,
        At = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        Data = Google.Protobuf.ByteString.CopyFromUtf8($"line {seq}\n"),
    };

    [Fact]
    public async Task A_hello_with_ten_thousand_labels_is_refused()
    {
        var labels = Enumerable.Range(0, 10_000).Select(i => $"label{i}=x").ToArray();
        var runner = await ConnectAsync(FakeRunner.Hello(await _host.RegistrationTokenAsync(), labels));

        var status = await runner.EndedAsync();

        Assert.Equal(StatusCode.InvalidArgument, status.StatusCode);
        Assert.Contains("at most 100 labels", status.Detail, StringComparison.Ordinal);
        Assert.Empty(await _host.RunnersAsync());
    }

    [Fact]
    public async Task A_single_use_registration_token_registers_one_runner_only()
    {
        var token = await _host.RegistrationTokenAsync();
        var first = await ConnectAsync(FakeRunner.Hello(token, "pool=once"));
        var welcome = await first.NextAsync(ServerMessage.BodyOneofCase.Welcome);
        Assert.StartsWith("lzrun_", welcome!.Welcome.Credential, StringComparison.Ordinal);

        var second = await ConnectAsync(FakeRunner.Hello(token, "pool=once"));

        Assert.Equal(StatusCode.Unauthenticated, (await second.EndedAsync()).StatusCode);
        Assert.Single(await _host.RunnersAsync());
    }

    [Fact]
    public async Task The_first_message_must_be_a_hello()
    {
        var runner = await ConnectAsync(null);
        await runner.SendAsync(new RunnerMessage { Heartbeat = new Heartbeat() });

        Assert.Equal(StatusCode.InvalidArgument, (await runner.EndedAsync()).StatusCode);
    }

    private async Task<FakeRunner> ConnectAsync(Hello? hello)
    {
        var runner = hello is null ? await FakeRunner.ConnectAsync(_host.RunnerUrl) : await FakeRunner.ConnectAsync(_host.RunnerUrl, hello);
        _owned.Add(runner);
        return runner;
    }
}
