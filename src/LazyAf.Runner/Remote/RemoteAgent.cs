using System.Net;
using System.Runtime.InteropServices;
using Grpc.Net.Client;
using LazyAf.Protocol.V1;
using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.ClaudeCode;
using LazyAf.Runner.Agents.Codex;
using LazyAf.Runner.Agents.Gemini;
using LazyAf.Runner.Processes;
using Serilog;

namespace LazyAf.Runner.Remote;

/// <summary>What an agent's step kinds are made from.</summary>
/// <param name="Options">Its command line.</param>
/// <param name="Containment">Where its steps' processes run (the same cells as the host's).</param>
/// <param name="Log">Its log.</param>
public sealed record AgentSetup(AgentOptions Options, StepContainment Containment, ILogger Log)
{
    /// <summary>
    /// The agent step kind every agent runs, with the CLIs it knows and <see cref="AgentOptions.AgentEnvironment"/>: on
    /// this machine's PATH, or where <paramref name="processes"/> runs them (a container of an image).
    /// </summary>
    public AgentStepKind AgentSteps(IAgentProcessRunner? processes = null) => new(
        [new ClaudeCodeCli(), new CommandAgentCli(), new GeminiCli(Path.Combine(Options.StateDir, "gemini")), new CodexCli()],
        new AgentRunnerOptions { RunnerName = Options.Name, Environment = Options.AgentEnvironment },
        processes: processes);
}

/// <summary>
/// A runner agent's whole life but its step kinds, shared by the Docker agent and the Native AOT one: the command line,
/// its identity, the step containment (and what a dead agent left running), the gRPC channel, the connection loop with
/// its spools and workspaces, and the signals: SIGTERM or Ctrl-C drains (finish the steps, then exit), a second one
/// stops at once.
/// </summary>
public static class RemoteAgent
{
    /// <summary>Exit code: drained, or stopped.</summary>
    public const int Drained = 0;

    /// <summary>Exit code: bad arguments, or a step kind could not be made (<see cref="InvalidOperationException"/> from <c>kinds</c>).</summary>
    public const int BadSetup = 1;

    /// <summary>Exit code: the host refused the runner; a new registration token is needed.</summary>
    public const int Refused = 2;

    /// <summary>
    /// Runs agent <paramref name="program"/> with the command line <paramref name="args"/> and the step kinds
    /// <paramref name="kinds"/> makes, until it is drained, refused or stopped; returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync(AgentProgram program, string[] args, Func<AgentSetup, CancellationToken, Task<IReadOnlyList<IStepKind>>> kinds)
    {
        ArgumentNullException.ThrowIfNull(program);
        ArgumentNullException.ThrowIfNull(kinds);
        var (options, error) = AgentOptions.Parse(args, program);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"{program.Name}: {error}\n{AgentOptions.Usage(program)}");
            return BadSetup;
        }
        using var log = new LoggerConfiguration()
            .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
            .CreateLogger();

        var identity = new RunnerIdentity(options.StateDir);
        identity.Load();
        if (identity.Credential is null && string.IsNullOrEmpty(options.Token))
        {
            await Console.Error.WriteLineAsync($"{program.Name}: this runner is not registered yet ({identity.File} is missing): pass --token with a registration token");
            return BadSetup;
        }

        using var drain = new CancellationTokenSource();
        using var kill = new CancellationTokenSource();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            if (drain.IsCancellationRequested)
                kill.Cancel();
            drain.Cancel();
        }
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);

        // The host's containment, for the same reasons: cancel, timeout and a drain kill every process of a step, and a
        // restarted agent kills what the steps of one that died left running before it takes a job.
        StepContainment containment;
        IReadOnlyList<IStepKind> stepKinds;
        try
        {
            containment = StepContainment.Create(options.Containment, options.StateDir, options.RunAs);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"{program.Name}: {e.Message}");
            return BadSetup;
        }
        using var contained = containment;
        try
        {
            stepKinds = await kinds(new AgentSetup(options, containment, log), kill.Token);
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"{program.Name}: {e.Message}");
            return BadSetup;
        }
        log.Information("{Program} {Version} runs {Kinds} steps", program.Name, program.Version, stepKinds.Select(k => k.Type));
        log.Information("Steps run in {Containment} cells{RunAs}", containment.Mode, containment.RunAs is { } user ? $" as {user.Name}" : "");
        foreach (var left in await containment.SweepAsync())
            log.Warning("Killed what was left running of execution {ExecutionId}'s step, started by an agent that died", left);
        var runner = new StepRunner(stepKinds, new StepRunnerOptions
        {
            Containment = containment,
            ObjectCache = Path.Combine(options.WorkDir, AgentWorkspaces.ObjectCacheName),
            GitCaFile = options.CaCertFile,
        });

        using var channel = GrpcChannel.ForAddress(options.Server, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                // Pings keep NATs open and find a dead connection to the host between heartbeats.
                KeepAlivePingDelay = TimeSpan.FromSeconds(15),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
                EnableMultipleHttp2Connections = true,
                ConnectTimeout = TimeSpan.FromSeconds(10),
                SslOptions = HostTrust.ClientOptions(options.CertificateAuthorities, log),
            },
            HttpVersion = HttpVersion.Version20,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
        var client = new RunnerService.RunnerServiceClient(channel);
        var connection = new ConnectionLoop(program, options, identity, stepKinds, runner, log);
        return await connection.RunAsync(client, drain.Token, kill.Token);
    }
}
