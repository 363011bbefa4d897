using System.IO.Pipelines;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using LazyAf.Runner.Agents;
using LazyAf.Runner.Git;
using LazyAf.Runner.Processes;
using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Docker;

/// <summary>
/// Agent CLIs in a per-step container of <c>image</c> (the Docker agent's <c>--agent-image</c>): the CLI, found on the
/// image's PATH, runs with the workspace bind-mounted at the same path as on this machine, so the working directory,
/// the prompt file and <c>LAZYAF_WORKSPACE</c> mean the same in the container. Its stdin, stdout and stderr are the
/// container's, so the <see cref="AgentStepKind"/> reads its events and answers its approvals exactly as on the host.
/// The container is confined as a docker step's (the caps of <see cref="DockerStepOptions"/>, capabilities dropped,
/// <c>no-new-privileges</c>) and removed when the CLI ends, is cancelled or fails.
/// <para>
/// It is on the host's network: the model endpoint the CLI is pointed at (<c>ANTHROPIC_BASE_URL</c>, …) is very often
/// on this machine's loopback (a proxy, a local model, a test's scripted one), and only the host's network namespace
/// reaches that address unchanged; a bridge network would need every URL rewritten to the gateway and the endpoint to
/// listen beyond loopback. That is no more than the CLI has on the host, where it runs otherwise.
/// </para>
/// </summary>
/// <param name="options">The engine and the caps, as for docker steps.</param>
/// <param name="image">The image with the agent CLIs on its PATH; it must be in the local engine (nothing is pulled).</param>
public sealed class AgentContainers(DockerStepOptions options, string image) : IAgentProcessRunner
{
    /// <inheritdoc />
    public string Where => $"in a container of {image}";

    /// <inheritdoc />
    /// <remarks>A configured path is one in the image; else the CLI's usual name, looked up on the image's PATH when it starts.</remarks>
    public string? Find(IAgentCli cli, AgentRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(cli);
        ArgumentNullException.ThrowIfNull(options);
        return options.Executables.TryGetValue(cli.Kind, out var configured) ? configured : cli.Executable;
    }

    /// <inheritdoc />
    /// <remarks>The step's variables without this machine's PATH, HOME, …: the image's own apply.</remarks>
    public Dictionary<string, string> BaseEnvironment(StepSpec spec, string workspace)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var environment = StepEnvironment.For(spec, workspace);
        foreach (var name in StepEnvironment.Base.Where(n => !spec.Env.ContainsKey(n) && !spec.Secrets.ContainsKey(n)))
            environment.Remove(name);
        return environment;
    }

    /// <inheritdoc />
    public async Task<int> RunAsync(StepSpec spec, string workspace, ProcessCommand command, ProcessIo io, TimeSpan killGrace, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(io);
        await new DockerStepKind(options).PingAsync(ct);
        using var client = DockerStepKind.Connect(options);
        string? id = null;
        try
        {
            id = await DockerStepKind.CreateAsync(client, Container(spec, Path.GetFullPath(workspace), command));
            ct.ThrowIfCancellationRequested();
            using var stream = await client.Containers.AttachContainerAsync(id, new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true }, ct);
            await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct);
            return await FollowAsync(client, id, stream, io, killGrace, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("the agent's container was stopped", e, ct);
        }
        catch (DockerApiException e) when (e.ResponseBody?.Contains("executable file not found", StringComparison.Ordinal) == true)
        {
            throw new StepFailedException($"{command.Program} not found in image {image}", e);
        }
        catch (Exception e) when (DockerStepKind.IsEngineTrouble(e))
        {
            throw new StepFailedException($"docker: {DockerStepKind.Message(e)}", e);
        }
        finally
        {
            if (id is not null)
                await DockerStepKind.RemoveAsync(client, id, NoOutput.Instance, options.RemoveTimeout);
        }
    }

    private static async Task<int> FollowAsync(DockerClient client, string id, MultiplexedStream stream, ProcessIo io, TimeSpan killGrace, CancellationToken ct)
    {
        var stdout = new Pipe();
        var stderr = new Pipe();
        var readers = Task.WhenAll(io.Stdout(stdout.Reader.AsStream()), io.Stderr(stderr.Reader.AsStream()));
        var input = io.Stdin(new StreamWriter(new ContainerInput(stream), new UTF8Encoding(false)));
        try
        {
            // A read on the attached connection may not notice the token; closing the stream ends it. A stop gets the
            // grace a CLI has on the host to write its session before it is killed.
            await using (ct.Register(() => _ = StopAsync(client, id, stream, killGrace)))
            {
                try
                {
                    await DemultiplexAsync(stream, stdout.Writer, stderr.Writer);
                }
                finally
                {
                    // Its output has ended: the readers see the end of their streams.
                    await stdout.Writer.CompleteAsync();
                    await stderr.Writer.CompleteAsync();
                }
            }
            await readers;
            ct.ThrowIfCancellationRequested();
            var exit = await client.Containers.WaitContainerAsync(id, ct);
            return exit.Error is { Message.Length: > 0 } error
                ? throw new StepFailedException($"docker: waiting for the agent's container failed: {error.Message}")
                : (int)exit.StatusCode;
        }
        finally
        {
            await readers;
            await Quietly(input);
        }
    }

    private static async Task StopAsync(DockerClient client, string id, MultiplexedStream stream, TimeSpan killGrace)
    {
        try
        {
            var seconds = (uint)Math.Max(1, Math.Ceiling(killGrace.TotalSeconds));
            await client.Containers.StopContainerAsync(id, new ContainerStopParameters { WaitBeforeKillSeconds = seconds });
        }
        catch (Exception e) when (DockerStepKind.IsEngineTrouble(e))
        {
            // Gone already; the removal after the step kills whatever is left.
        }
        finally
        {
            stream.Dispose();
        }
    }

    private static async Task DemultiplexAsync(MultiplexedStream stream, PipeWriter stdout, PipeWriter stderr)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            MultiplexedStream.ReadResult read;
            try
            {
                read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return; // Stopped: the stream was closed under the read.
            }
            if (read.EOF)
                return;
            var target = read.Target == MultiplexedStream.TargetStream.StandardError ? stderr : stdout;
            await target.WriteAsync(buffer.AsMemory(0, read.Count));
        }
    }

    private static async Task Quietly(Task input)
    {
        try
        {
            await input;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The container went while its answers were written: it reads no more.
        }
    }

    private CreateContainerParameters Container(StepSpec spec, string workspace, ProcessCommand command)
    {
        // At the same path as here: what the step kind hands the CLI (its working directory, the prompt file) names it.
        List<Mount> mounts = [new Mount { Type = "bind", Source = workspace, Target = workspace }];
        mounts.AddRange(BorrowedObjects.Of(workspace).Select(path => new Mount { Type = "bind", Source = path, Target = path, ReadOnly = true }));
        return new CreateContainerParameters
        {
            Name = $"lazyaf-agent-{Guid.NewGuid().ToString("N")[..12]}",
            Image = image,
            Entrypoint = [command.Program],
            Cmd = [.. command.Arguments],
            Env = [.. command.Environment.Select(p => $"{p.Key}={p.Value}")],
            WorkingDir = command.WorkingDirectory,
            Labels = new Dictionary<string, string> { [DockerStepKind.ExecutionLabel] = spec.ExecutionId, [DockerStepKind.ManagedLabel] = "true" },
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
            OpenStdin = true,
            StdinOnce = true,
            HostConfig = new HostConfig
            {
                Mounts = mounts,
                Memory = options.Memory ?? 0,
                MemorySwap = options.Memory ?? 0,
                NanoCPUs = ResourceLimits.NanoCpus(options.Cpus) ?? 0,
                PidsLimit = options.PidsLimit,
                NetworkMode = "host",
                CapDrop = ["ALL"],
                CapAdd = [.. DockerStepKind.Capabilities],
                SecurityOpt = ["no-new-privileges:true"],
            },
        };
    }

    /// <summary>The container's standard input as a stream a <see cref="StreamWriter"/> writes to; closing it closes the input.</summary>
    private sealed class ContainerInput(MultiplexedStream stream) : Stream
    {
        private bool _closed;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            stream.WriteAsync(buffer, offset, count, cancellationToken);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(stream.WriteAsync(buffer.ToArray(), 0, buffer.Length, cancellationToken));

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                try
                {
                    stream.CloseWrite();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // The container is gone; its input with it.
                }
            }
            base.Dispose(disposing);
        }
    }
}
