using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using LazyAf.Runner.Git;
using LazyAf.Runner.Steps;
using LazyAf.Runner.Terminals;

namespace LazyAf.Runner.Docker;

/// <summary>
/// The <c>docker</c> step: <c>sh -c COMMAND</c> in a container of <see cref="DockerStepDefinition.Image"/> on the local
/// Docker engine, with the workspace bind-mounted at <c>/workspace</c>. The image must already be there: nothing
/// is pulled (no registry may be reachable), so a missing image fails at once. Cancel and timeout kill and
/// remove the container; it is removed when the step ends in any case.
/// <para>
/// Hardened by default: memory, CPU and pids limits (<see cref="DockerStepOptions"/>'s caps; a step may ask for less),
/// every capability dropped but <see cref="Capabilities"/>, <c>no-new-privileges</c>, no engine socket. A step that
/// declares <see cref="DockerStepDefinition.Privileged"/> or <see cref="DockerStepDefinition.DockerSocket"/> gets them:
/// the host has checked its repo may. Each container is on a bridge network of its pipeline run
/// (<see cref="StepSpec.RunId"/>), or of its own outside a run, removed once no step of it runs.
/// </para>
/// </summary>
/// <param name="options">Where the engine is and how long to wait for it.</param>
public sealed class DockerStepKind(DockerStepOptions options) : IReattachableStepKind, IDebugShellStepKind
{
    /// <summary>The label that names a container's step execution.</summary>
    public const string ExecutionLabel = "lazyaf.execution";

    /// <summary>The label on every container LazyAF starts.</summary>
    public const string ManagedLabel = "lazyaf.managed";

    /// <summary>The label on a container that names its network (<c>lazyaf-run-…</c> or <c>lazyaf-step-…</c>).</summary>
    public const string NetworkLabel = "lazyaf.network";

    /// <summary>The label on a pipeline run's network that names the run.</summary>
    public const string RunLabel = "lazyaf.run";

    /// <summary>The label on a debug shell's container (a terminal's or one command's): the pipeline run it debugs (the execution outside a run).</summary>
    public const string DebugLabel = "lazyaf.debug";

    /// <summary>Where the workspace is mounted in the container.</summary>
    public const string ContainerWorkspace = "/workspace";

    /// <summary>Where a step that declares <see cref="DockerStepDefinition.DockerSocket"/> finds the engine's socket.</summary>
    public const string ContainerDockerSocket = "/var/run/docker.sock";

    /// <summary>
    /// The capabilities a container keeps; all others are dropped. What builds need of root in their own container:
    /// change owners and modes of files they made (<c>CHOWN</c>, <c>FOWNER</c>, <c>FSETID</c>, <c>DAC_OVERRIDE</c>),
    /// switch to a build user (<c>SETUID</c>, <c>SETGID</c>), signal their own processes (<c>KILL</c>) and listen on a
    /// port below 1024 in tests (<c>NET_BIND_SERVICE</c>). Docker's defaults also give <c>NET_RAW</c> (raw packets,
    /// spoofing), <c>MKNOD</c>, <c>SYS_CHROOT</c>, <c>SETPCAP</c>, <c>SETFCAP</c> and <c>AUDIT_WRITE</c>; a build needs none.
    /// </summary>
    public static IReadOnlyList<string> Capabilities { get; } = ["CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "SETGID", "SETUID", "NET_BIND_SERVICE"];

    // Creating a network, creating and starting a container on it, and removing it once unused are one at a time per
    // network in this process: a container created but not yet started holds no endpoint, so without this the last
    // step of a run could remove the network under the next one's start.
    private static readonly SemaphoreSlim[] NetworkGates = [.. Enumerable.Range(0, 16).Select(_ => new SemaphoreSlim(1, 1))];

    private static readonly TimeSpan CreateTimeout = TimeSpan.FromSeconds(60);

    /// <summary>A docker kind for the engine at <c>unix:///var/run/docker.sock</c>.</summary>
    public DockerStepKind()
        : this(new DockerStepOptions())
    {
    }

    /// <inheritdoc />
    public string Type => "docker";

    /// <inheritdoc />
    public async Task<int> RunAsync(StepSpec spec, string workspace, IStepOutput output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        if (spec.Step is not DockerStepDefinition step)
            throw new StepFailedException($"a docker step cannot run a {spec.Step.Type} step");
        if (string.IsNullOrWhiteSpace(step.Image))
            throw new StepFailedException("a docker step needs an image");
        if (string.IsNullOrWhiteSpace(step.Command))
            throw new StepFailedException("a docker step needs a command");
        _ = StepWorkingDirectory.Require(workspace, step.WorkingDir);
        var network = NetworkOf(spec);
        var create = Container(spec, step, Path.GetFullPath(workspace), network);

        using var client = Connect(options);
        await PingAsync(client, ct);
        var where = string.IsNullOrEmpty(step.WorkingDir) ? "" : $" (in {step.WorkingDir})";
        await output.WriteAsync(LogStream.System, Encoding.UTF8.GetBytes($"$ docker run {step.Image} sh -c {step.Command}{where}\n{Describe(create.HostConfig!, network)}\n"), ct);
        var gate = GateOf(network);
        await gate.WaitAsync(ct);
        var holding = true;
        string? id = null;
        var started = false;
        try
        {
            await EnsureNetworkAsync(client, network, spec.RunId, ct);
            id = await CreateAsync(client, create);
            ct.ThrowIfCancellationRequested();
            var stream = await StartAsync(client, id, ct);
            started = true;
            gate.Release();
            holding = false;
            using (stream)
                return await FollowStartedAsync(client, id, stream, output, ct);
        }
        catch (Exception e) when (ct.IsCancellationRequested && started && LeavesRunning)
        {
            throw Detached(e);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            // The cancel closes the attached stream under a pending read; that is the cancel, not a failure.
            throw new OperationCanceledException("the docker step was cancelled", e, ct);
        }
        catch (Exception e) when (IsEngineTrouble(e))
        {
            throw new StepFailedException($"docker: {Message(e)}", e);
        }
        finally
        {
            if (holding)
                gate.Release();
            if (!(started && ct.IsCancellationRequested && LeavesRunning))
            {
                if (id is not null)
                    await RemoveAsync(client, id, output, options.RemoveTimeout);
                await ReleaseNetworkAsync(client, network, output, options.RemoveTimeout);
            }
        }
    }

    private bool LeavesRunning => options.LeaveRunningWhen.IsCancellationRequested;

    private static StepDetachedException Detached(Exception cause) =>
        new("the host is stopping: the container runs on, and the host follows it again when it starts", cause);

    /// <summary>
    /// The container of step execution <paramref name="executionId"/> in any state (running, or exited and not yet
    /// removed, or created and never started), or null when there is none: what a host restarted after a crash
    /// may still follow (see <see cref="ManagedContainer.Started"/>).
    /// </summary>
    public async Task<ManagedContainer?> FindAsync(string executionId, CancellationToken ct)
    {
        using var client = Connect(options);
        var containers = await ListAsync(client, $"{ExecutionLabel}={executionId}", all: true, ct);
        return containers.FirstOrDefault(c => c.State == "running") ?? (containers.Count > 0 ? containers[0] : null);
    }

    /// <inheritdoc />
    public async Task<bool> OutlivedAsync(string executionId, CancellationToken ct) => await FindAsync(executionId, ct) is { Started: true };

    /// <summary>
    /// Kills and removes every container of step execution <paramref name="executionId"/>, e.g. one a crashed host
    /// created but never started. Best effort, like the removal at the end of a step.
    /// </summary>
    public async Task DiscardAsync(string executionId, CancellationToken ct)
    {
        using var client = Connect(options);
        foreach (var container in await ListAsync(client, $"{ExecutionLabel}={executionId}", all: true, ct))
        {
            await RemoveAsync(client, container.Id, NoOutput.Instance, options.RemoveTimeout);
            if (container.Network is { } network)
                await ReleaseNetworkAsync(client, network, NoOutput.Instance, options.RemoveTimeout);
        }
    }

    /// <summary>
    /// Follows the container of step execution <paramref name="executionId"/>, started by a run nobody watches any
    /// more (the host died), to its end: ships its output since <paramref name="since"/> (all of it when null),
    /// waits for its exit, removes it and returns its exit code. Cancelling kills and removes it. Fails when the
    /// execution has no container.
    /// </summary>
    public async Task<int> FollowAsync(string executionId, DateTimeOffset? since, IStepOutput output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var client = Connect(options);
        // Found even when the follow is cancelled meanwhile (a slow engine): a cancelled follow still removes the container.
        using var lookup = new CancellationTokenSource(options.RemoveTimeout);
        await PingAsync(client, lookup.Token);
        var containers = await ListAsync(client, $"{ExecutionLabel}={executionId}", all: true, lookup.Token);
        var container = containers.Count > 0 ? containers[0] : throw new StepFailedException($"execution {executionId} has no container to follow");
        try
        {
            ct.ThrowIfCancellationRequested();
            // A created container would "exit" 0 at once without running a thing.
            if (!container.Started)
                throw new StepFailedException($"the container of execution {executionId} never started");
            var logs = new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Follow = true };
            // To the nanosecond the engine stamps lines with, not whole seconds: up to a second of lines already shipped
            // would come again.
            if (since is { } from)
                logs.Since = $"{from.ToUnixTimeSeconds()}.{from.UtcTicks % TimeSpan.TicksPerSecond * 100:D9}";
            using var stream = await client.Containers.GetContainerLogsAsync(container.Id, logs, ct);
            await using (ct.Register(stream.Dispose))
                await PumpAsync(stream, output, ct);
            ct.ThrowIfCancellationRequested();
            var exit = await client.Containers.WaitContainerAsync(container.Id, ct);
            return exit.Error is { Message.Length: > 0 } error
                ? throw new StepFailedException($"docker: waiting for the container failed: {error.Message}")
                : (int)exit.StatusCode;
        }
        catch (Exception e) when (ct.IsCancellationRequested && container.Started && LeavesRunning)
        {
            throw Detached(e);
        }
        catch (Exception e) when (ct.IsCancellationRequested && e is not OperationCanceledException)
        {
            throw new OperationCanceledException("the docker step was cancelled", e, ct);
        }
        catch (Exception e) when (IsEngineTrouble(e))
        {
            throw new StepFailedException($"docker: {Message(e)}", e);
        }
        finally
        {
            if (!(container.Started && ct.IsCancellationRequested && LeavesRunning))
            {
                await RemoveAsync(client, container.Id, output, options.RemoveTimeout);
                if (container.Network is { } network)
                    await ReleaseNetworkAsync(client, network, output, options.RemoveTimeout);
            }
        }
    }

    /// <summary>
    /// LazyAF's running containers on the engine at <paramref name="endpoint"/>: those of one step execution, or
    /// all of them when <paramref name="executionId"/> is null (for finding them again after a crash).
    /// </summary>
    public static async Task<IReadOnlyList<ManagedContainer>> FindRunningAsync(Uri endpoint, string? executionId, CancellationToken ct)
    {
        using var client = Connect(new DockerStepOptions { Endpoint = endpoint });
        var label = executionId is null ? $"{ManagedLabel}=true" : $"{ExecutionLabel}={executionId}";
        return await ListAsync(client, label, all: false, ct);
    }

    private static async Task<IReadOnlyList<ManagedContainer>> ListAsync(DockerClient client, string label, bool all, CancellationToken ct)
    {
        var containers = await client.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = all,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [label] = true } },
        }, ct);
        return [.. containers.Select(c => new ManagedContainer(c.ID, c.Labels?.TryGetValue(ExecutionLabel, out var execution) == true ? execution : "", c.Image, c.State)
        {
            Network = c.Labels?.TryGetValue(NetworkLabel, out var network) == true ? network : null,
        })];
    }

    internal static DockerClient Connect(DockerStepOptions options) =>
        new DockerClientBuilder().WithEndpoint(options.Endpoint).WithTimeout(Timeout.InfiniteTimeSpan).Build();

    /// <summary>Fails (<see cref="StepFailedException"/>, with the reason) unless the engine answers a ping within <see cref="DockerStepOptions.ConnectTimeout"/>.</summary>
    public async Task PingAsync(CancellationToken ct)
    {
        using var client = Connect(options);
        await PingAsync(client, ct);
    }

    private async Task PingAsync(DockerClient client, CancellationToken ct)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(options.ConnectTimeout);
        try
        {
            await client.System.PingAsync(patience.Token);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && (IsEngineTrouble(e) || e is OperationCanceledException))
        {
            var why = e is OperationCanceledException ? $"no answer within {options.ConnectTimeout.TotalSeconds:0.#} s" : Message(e);
            throw new StepFailedException($"the Docker daemon is not reachable at {options.Endpoint}: {why}", e);
        }
    }

    /// <summary>
    /// Creates the container without regard to a cancel: a create abandoned half-way is finished by the engine after we
    /// have looked for it, leaving a container nobody removes. Creating takes moments; the caller checks for a cancel
    /// once it has the id, and removes the container then.
    /// </summary>
    internal static async Task<string> CreateAsync(DockerClient client, CreateContainerParameters create)
    {
        using var patience = new CancellationTokenSource(CreateTimeout);
        try
        {
            return (await client.Containers.CreateContainerAsync(create, patience.Token)).ID;
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new StepFailedException(
                $"image '{create.Image}' not found in the local Docker engine; LazyAF does not pull images (no registry may be reachable), so build, import or load it there first", e);
        }
        catch (Exception e) when (IsEngineTrouble(e) || e is OperationCanceledException)
        {
            var why = e is OperationCanceledException ? $"no answer within {CreateTimeout.TotalSeconds:0} s" : Message(e);
            throw new StepFailedException($"docker could not create the container: {why}", e);
        }
    }

    private static async Task<MultiplexedStream> StartAsync(DockerClient client, string id, CancellationToken ct)
    {
        // Attached before the start, so not a byte of output is missed.
        var stream = await client.Containers.AttachContainerAsync(id, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, ct);
        try
        {
            await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    private static async Task<int> FollowStartedAsync(DockerClient client, string id, MultiplexedStream stream, IStepOutput output, CancellationToken ct)
    {
        // A read on the attached connection may not notice the token; closing the stream ends it.
        await using (ct.Register(stream.Dispose))
            await PumpAsync(stream, output, ct);
        ct.ThrowIfCancellationRequested();
        var exit = await client.Containers.WaitContainerAsync(id, ct);
        return exit.Error is { Message.Length: > 0 } error
            ? throw new StepFailedException($"docker: waiting for the container failed: {error.Message}")
            : (int)exit.StatusCode;
    }

    private static async Task PumpAsync(MultiplexedStream stream, IStepOutput output, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, ct);
            if (read.EOF)
                return;
            var target = read.Target == MultiplexedStream.TargetStream.StandardError ? LogStream.Stderr : LogStream.Stdout;
            // The log takes its own copy (masked, chunked), so the buffer can be reused.
            await output.WriteAsync(target, buffer.AsMemory(0, read.Count), CancellationToken.None);
        }
    }

    /// <summary>
    /// Kills (SIGKILL) and removes the container; one already gone is fine. Best effort: a failure is logged, never
    /// thrown, so it cannot hide how the step ended.
    /// </summary>
    internal static async Task RemoveAsync(DockerClient client, string idOrName, IStepOutput output, TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        try
        {
            try
            {
                await client.Containers.RemoveContainerAsync(idOrName, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, patience.Token);
            }
            catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.Conflict)
            {
                // "Removal already in progress": it is going; wait below until it is gone.
            }
            await GoneAsync(client, idOrName, patience.Token);
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound)
        {
        }
        catch (Exception e) when (IsEngineTrouble(e) || e is OperationCanceledException)
        {
            var why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : Message(e);
            await output.WriteAsync(LogStream.System, Encoding.UTF8.GetBytes($"could not remove container {idOrName}: {why}\n"), CancellationToken.None);
        }
    }

    // A removal another caller started, or one the engine finishes after answering, must be over before the step ends.
    private static async Task GoneAsync(DockerClient client, string idOrName, CancellationToken ct)
    {
        while (true)
        {
            try
            {
                await client.Containers.InspectContainerAsync(idOrName, ct);
            }
            catch (DockerContainerNotFoundException)
            {
                return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }

    private CreateContainerParameters Container(StepSpec spec, DockerStepDefinition step, string workspace, string network)
    {
        var workingDir = ContainerWorkingDir(spec);
        var memory = Capped(ResourceLimits.MemoryBytes(step.Memory), options.Memory, "memory", step.Memory, ResourceLimits.MemoryText);
        var cpus = Capped(step.Cpus, options.Cpus, "cpus", step.Cpus?.ToString(CultureInfo.InvariantCulture), c => c.ToString(CultureInfo.InvariantCulture));
        // A mount, not a bind string: a path with ':' in it would break "SRC:DST".
        List<Mount> mounts = [new Mount { Type = "bind", Source = workspace, Target = ContainerWorkspace }];
        // Read-only at the same path: git in the container finds the objects the checkout borrows, and cannot change them.
        mounts.AddRange(BorrowedObjects.Of(workspace).Select(path => new Mount { Type = "bind", Source = path, Target = path, ReadOnly = true }));
        if (step.DockerSocket)
            mounts.Add(new Mount { Type = "bind", Source = EngineSocket(), Target = ContainerDockerSocket });
        return new CreateContainerParameters
        {
            Name = $"lazyaf-{Sanitized(spec.ExecutionId)}-{Guid.NewGuid().ToString("N")[..8]}",
            Image = step.Image,
            // The entrypoint too, so an image's own entrypoint cannot swallow the command.
            Entrypoint = ["sh", "-c"],
            Cmd = [step.Command],
            Env = [.. Environment(spec).Select(p => $"{p.Key}={p.Value}")],
            WorkingDir = workingDir,
            Labels = new Dictionary<string, string> { [ExecutionLabel] = spec.ExecutionId, [ManagedLabel] = "true", [NetworkLabel] = network },
            AttachStdout = true,
            AttachStderr = true,
            HostConfig = new HostConfig
            {
                Mounts = mounts,
                Memory = memory ?? 0,
                // No swap beyond the limit: a step over it is killed instead of paging the machine to a crawl.
                MemorySwap = memory ?? 0,
                NanoCPUs = ResourceLimits.NanoCpus(cpus) ?? 0,
                PidsLimit = options.PidsLimit,
                NetworkMode = network,
                Privileged = step.Privileged,
                // Privileged is everything by definition; dropping capabilities would only break what it was asked for.
                CapDrop = step.Privileged ? [] : ["ALL"],
                CapAdd = step.Privileged ? [] : [.. Capabilities],
                SecurityOpt = step.Privileged ? [] : ["no-new-privileges:true"],
            },
        };
    }

    /// <summary>The step's own limit when it asks for one at most the cap, the cap when it asks for none.</summary>
    private static T? Capped<T>(T? asked, T? cap, string key, string? text, Func<T, string> format)
        where T : struct, IComparable<T>
    {
        if (asked is not { } value)
            return cap;
        return cap is { } most && value.CompareTo(most) > 0
            ? throw new StepFailedException($"{key} '{text}' is above the {format(most)} this host allows a docker step (Execution:Docker:{(key == "memory" ? "Memory" : "Cpus")})")
            : value;
    }

    private string EngineSocket() => options.Endpoint.Scheme == "unix"
        ? options.Endpoint.AbsolutePath
        : throw new StepFailedException($"docker_socket needs the engine on a unix socket; this host's is at {options.Endpoint}");

    /// <summary>One line of how the container is confined, for the step's log.</summary>
    private static string Describe(HostConfig host, string network)
    {
        var limits = $"memory {(host.Memory > 0 ? ResourceLimits.MemoryText(host.Memory) : "unlimited")}, cpus {(host.NanoCPUs > 0 ? (host.NanoCPUs / 1e9).ToString(CultureInfo.InvariantCulture) : "unlimited")}, pids {(host.PidsLimit is > 0 ? host.PidsLimit.Value.ToString(CultureInfo.InvariantCulture) : "unlimited")}";
        var privileges = host.Privileged ? "privileged" : $"capabilities {string.Join(',', host.CapAdd ?? [])}, no-new-privileges";
        var socket = (host.Mounts ?? []).Any(m => m.Target == ContainerDockerSocket) ? ", the engine's socket" : "";
        return $"  ({limits}; {privileges}{socket}; network {network})";
    }

    private static string NetworkOf(StepSpec spec) =>
        spec.RunId is { Length: > 0 } run ? $"lazyaf-run-{Sanitized(run)}" : $"lazyaf-step-{Sanitized(spec.ExecutionId)}";

    private static SemaphoreSlim GateOf(string network) =>
        NetworkGates[(uint)StringComparer.Ordinal.GetHashCode(network) % (uint)NetworkGates.Length];

    /// <summary>Creates the bridge network unless it is there (an earlier or parallel step of the run made it).</summary>
    private static async Task EnsureNetworkAsync(DockerClient client, string network, string? runId, CancellationToken ct)
    {
        try
        {
            await client.Networks.InspectNetworkAsync(network, ct);
            return;
        }
        catch (DockerNetworkNotFoundException)
        {
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
        }
        var labels = new Dictionary<string, string> { [ManagedLabel] = "true" };
        if (runId is not null)
            labels[RunLabel] = runId;
        try
        {
            await client.Networks.CreateNetworkAsync(new NetworksCreateParameters { Name = network, Driver = "bridge", Labels = labels }, ct);
        }
        catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict)
        {
            // Another host process on the same engine made it first.
        }
    }

    /// <summary>
    /// Removes the network once no container is on it (the run's last step has ended); one still in use or already gone is
    /// left. Best effort, like <see cref="RemoveAsync"/>.
    /// </summary>
    private static async Task ReleaseNetworkAsync(DockerClient client, string network, IStepOutput output, TimeSpan timeout)
    {
        using var patience = new CancellationTokenSource(timeout);
        var gate = GateOf(network);
        try
        {
            await gate.WaitAsync(patience.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        try
        {
            var inspected = await client.Networks.InspectNetworkAsync(network, patience.Token);
            if (inspected.Containers is not { Count: > 0 })
                await client.Networks.DeleteNetworkAsync(network, patience.Token);
        }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden or HttpStatusCode.Conflict)
        {
            // Gone already, or a container of another process joined it: its step removes it.
        }
        catch (Exception e) when (IsEngineTrouble(e) || e is OperationCanceledException)
        {
            var why = e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : Message(e);
            await output.WriteAsync(LogStream.System, Encoding.UTF8.GetBytes($"could not remove network {network}: {why}\n"), CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }

    // The run's network is there while a step of it (or a service it started) is: the shell joins it then, decided when
    // the shell opens, since the network comes and goes with the run's containers.
    private const string JoinNetworkIfThere =
        "network=$1; shift; if docker network inspect \"$network\" >/dev/null 2>&1; then exec docker run --network \"$network\" \"$@\"; fi; exec docker run \"$@\"";

    /// <summary>
    /// A debug shell for a docker step: <c>docker run -it</c> of its image with the workspace mounted at
    /// <c>/workspace</c> and the step's variables, <c>sh</c> in its working directory (the container goes with the shell),
    /// on the pipeline run's network when it has one (so the shell reaches the run's other containers by name, as the step would).
    /// The variables reach the container by name (<c>-e NAME</c>), so no secret is on a command line. One command runs as
    /// <c>sh -c</c> in a container of its own. Its containers carry <see cref="DebugLabel"/>.
    /// </summary>
    public DebugShell DebugShell(StepSpec spec, string workspace, PreparedStep step)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(step);
        return spec.Step is DockerStepDefinition docker
            ? ContainerShell(spec, workspace, step, docker.Image, ContainerWorkingDir(spec), Environment(spec))
            : Terminals.DebugShell.Bash(step);
    }

    /// <summary>
    /// The sidecar of a docker step: the same container shell as <see cref="DebugShell"/> — the workspace at
    /// <c>/workspace</c>, the run's network — but of <see cref="DockerStepOptions.SidecarImage"/>, in <c>/workspace</c>,
    /// with only <c>LAZYAF_WORKSPACE</c> and <c>LAZYAF_DEBUG=sidecar</c>: none of the step's variables or secrets. A
    /// step of another kind gets <see cref="Terminals.DebugShell.Sidecar"/>.
    /// </summary>
    public DebugShell SidecarShell(StepSpec spec, string workspace, PreparedStep step)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(step);
        if (spec.Step is not DockerStepDefinition)
            return Terminals.DebugShell.Sidecar(step, workspace);
        var inContainer = new Dictionary<string, string>(StringComparer.Ordinal) { ["LAZYAF_WORKSPACE"] = ContainerWorkspace, ["LAZYAF_DEBUG"] = "sidecar" };
        return ContainerShell(spec, workspace, step, options.SidecarImage, ContainerWorkspace, inContainer);
    }

    /// <summary>Kills and removes the containers of debug shells of <paramref name="spec"/>'s run (<see cref="DebugLabel"/>), in any state; best effort.</summary>
    public async Task RemoveLeftoverShellsAsync(StepSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        using var client = Connect(options);
        IReadOnlyList<ManagedContainer> left;
        try
        {
            left = await ListAsync(client, $"{DebugLabel}={DebugOwner(spec)}", all: true, ct);
        }
        catch (Exception e) when (IsEngineTrouble(e))
        {
            return;
        }
        foreach (var container in left)
            await RemoveAsync(client, container.Id, NoOutput.Instance, options.RemoveTimeout);
    }

    // What a debug shell's containers are labelled with: the run is what stays the same across the environments a host
    // makes for its pause (each has an execution of its own) and across a restart of the host.
    private static string DebugOwner(StepSpec spec) => spec.RunId is { Length: > 0 } run ? run : spec.ExecutionId;

    /// <summary>
    /// <c>docker run --rm -it</c> of <paramref name="image"/> with <c>sh</c> in <paramref name="workingDir"/>, the workspace
    /// and the objects it borrows mounted, <paramref name="inContainer"/> passed by name, on the run's network while it is
    /// there; nothing is pulled. The docker CLI gets the step's <see cref="Terminals.DebugShell.MachineVariables"/> and this
    /// kind's engine.
    /// </summary>
    private DebugShell ContainerShell(StepSpec spec, string workspace, PreparedStep step, string image, string workingDir, Dictionary<string, string> inContainer)
    {
        List<string> program = ["sh", "-c", JoinNetworkIfThere, "sh", NetworkOf(spec), "--rm", "-it", "--pull", "never", "--label", $"{DebugLabel}={DebugOwner(spec)}",
            "--entrypoint", "sh", "-w", workingDir, "--mount", $"type=bind,source={workspace},target={ContainerWorkspace}"];
        foreach (var path in BorrowedObjects.Of(workspace))
            program.AddRange(["--mount", $"type=bind,source={path},target={path},readonly"]);
        foreach (var name in inContainer.Keys)
            program.AddRange(["-e", name]);
        program.Add(image);
        var cli = new Dictionary<string, string>(inContainer, StringComparer.Ordinal);
        foreach (var (name, value) in Terminals.DebugShell.MachineOf(step))
            cli.TryAdd(name, value);
        cli["DOCKER_HOST"] = options.Endpoint.ToString();
        var container = ShellContainerName();
        return new DebugShell(Named(program, container), step.WorkingDirectory, cli)
        {
            Command = command => OneCommand(program, command),
            Stop = ["docker", "rm", "-f", container],
            Resized = (columns, rows, ct) => ResizeAsync(container, columns, rows, ct),
        };
    }

    // A shell's container is named, so that killing the docker CLI (a timeout, the session's end) removes the container
    // too; one whose host died first is left to RemoveLeftoverShellsAsync, by its label.
    private static DebugShell OneCommand(List<string> program, string command)
    {
        var name = ShellContainerName();
        return new DebugShell([.. Named(program, name), "-c", command], "", new Dictionary<string, string>())
        {
            Stop = ["docker", "rm", "-f", name],
        };
    }

    private static string ShellContainerName() => $"lazyaf-debug-{Guid.NewGuid():N}";

    private static List<string> Named(List<string> program, string name) => [.. program[..^1], "--name", name, program[^1]];

    // The engine resizes the container's terminal itself; not yet created (404) or gone is fine: the docker CLI sizes a
    // container it starts from the terminal's size then.
    private async Task ResizeAsync(string container, ushort columns, ushort rows, CancellationToken ct)
    {
        using var client = Connect(options);
        await client.Containers.ResizeContainerTtyAsync(container, new ContainerResizeParameters { Width = columns, Height = rows }, ct);
    }

    /// <summary>
    /// What every CI step can rely on, then <see cref="StepSpec.Env"/>, then <see cref="StepSpec.Secrets"/>; not the
    /// host's own environment (its PATH and HOME mean nothing in the image).
    /// </summary>
    private static Dictionary<string, string> Environment(StepSpec spec)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["CI"] = "true",
            ["LAZYAF"] = "true",
            ["LAZYAF_EXECUTION_ID"] = spec.ExecutionId,
            ["LAZYAF_WORK_BRANCH"] = spec.Repo.WorkBranch,
            ["LAZYAF_WORKSPACE"] = ContainerWorkspace,
        };
        foreach (var (key, value) in spec.Env)
            environment[key] = value;
        foreach (var (key, value) in spec.Secrets)
            environment[key] = value;
        return environment;
    }

    private static string ContainerWorkingDir(StepSpec spec) => string.IsNullOrEmpty(spec.Step.WorkingDir)
        ? ContainerWorkspace
        : $"{ContainerWorkspace}/{spec.Step.WorkingDir.Replace('\\', '/').Trim('/')}";

    private static string Sanitized(string executionId)
    {
        var kept = new string([.. executionId.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')]);
        return kept.Length == 0 ? "step" : kept[..Math.Min(kept.Length, 40)];
    }

    internal static bool IsEngineTrouble(Exception e) =>
        e is DockerApiException or HttpRequestException or SocketException or IOException or TimeoutException or ObjectDisposedException;

    internal static string Message(Exception e)
    {
        var message = e is DockerApiException api && !string.IsNullOrWhiteSpace(api.ResponseBody) ? DaemonMessage(api.ResponseBody) : e.Message;
        while (e.InnerException is { } inner && (e is HttpRequestException || message.Length == 0))
        {
            message = $"{message} ({inner.Message})";
            e = inner;
        }
        return message.ReplaceLineEndings(" ").Trim();
    }

    /// <summary>The engine answers errors as <c>{"message":"…"}</c>.</summary>
    private static string DaemonMessage(string body)
    {
        try
        {
            using var json = System.Text.Json.JsonDocument.Parse(body);
            return json.RootElement.TryGetProperty("message", out var message) ? message.GetString() ?? body : body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body;
        }
    }
}

/// <summary>Drops what it is given: for removals nobody's log wants to hear about.</summary>
internal sealed class NoOutput : IStepOutput
{
    public static readonly NoOutput Instance = new();

    public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct) => ValueTask.CompletedTask;
}

/// <summary>Where the Docker engine is, how long to wait for it, and the most a step's container may use.</summary>
public sealed record DockerStepOptions
{
    /// <summary>The memory cap in bytes (<c>Execution:Docker:Memory</c>, 2 GiB); a step's <c>memory</c> may ask for less. Null: none.</summary>
    public long? Memory { get; init; } = 2L << 30;

    /// <summary>The CPU cap (<c>Execution:Docker:Cpus</c>, 2 or the machine's cores if fewer); a step's <c>cpus</c> may ask for less. Null: none.</summary>
    public double? Cpus { get; init; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>The most processes and threads a container may have (<c>Execution:Docker:PidsLimit</c>, 512): a fork bomb ends there. Null: none.</summary>
    public long? PidsLimit { get; init; } = 512;

    /// <summary>The engine's API endpoint, e.g. <c>unix:///var/run/docker.sock</c> or <c>tcp://127.0.0.1:2375</c>.</summary>
    public Uri Endpoint { get; init; } = new("unix:///var/run/docker.sock");

    /// <summary>How long the engine gets to answer a ping before the step fails as "not reachable".</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The image of a docker step's sidecar terminal (<c>Execution:Docker:SidecarImage</c>, an agent's <c>--sidecar-image</c>;
    /// <c>alpine</c>): a shell with tools the step's image may lack. Like a step's image it must be in the local engine: nothing is pulled.
    /// </summary>
    public string SidecarImage { get; init; } = "alpine";

    /// <summary>How long removing a container may take before the step gives up on it.</summary>
    public TimeSpan RemoveTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Cancelled when a stop of the step should leave its started container running instead of killing it (the host
    /// stopping gracefully, which re-attaches at its next start): the run then ends in <see cref="StepDetachedException"/>.
    /// </summary>
    public CancellationToken LeaveRunningWhen { get; init; }
}

/// <summary>A running container LazyAF started.</summary>
/// <param name="Id">The engine's container id.</param>
/// <param name="ExecutionId">The step execution it runs (its <c>lazyaf.execution</c> label).</param>
/// <param name="Image">Its image.</param>
/// <param name="State">The engine's state, e.g. <c>running</c>.</param>
public sealed record ManagedContainer(string Id, string ExecutionId, string Image, string State)
{
    /// <summary>The network LazyAF put it on (its <c>lazyaf.network</c> label); null for a container from before networks.</summary>
    public string? Network { get; init; }

    /// <summary>True once the engine has started it (running, paused, exited, …); false while only <c>created</c>.</summary>
    public bool Started => State is not ("created" or "");
}
