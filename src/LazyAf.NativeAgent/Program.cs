using System.Net;
using System.Runtime.InteropServices;
using Grpc.Net.Client;
using LazyAf.NativeAgent;
using LazyAf.Protocol.V1;
using LazyAf.Runner;
using LazyAf.Runner.Agents;
using LazyAf.Runner.Agents.ClaudeCode;
using LazyAf.Runner.Agents.Codex;
using LazyAf.Runner.Agents.Gemini;
using LazyAf.Runner.Processes;
using LazyAf.Runner.Steps;
using Serilog;

// Exit codes: 0 drained, 1 bad arguments, 2 refused by the host (a new registration token is needed).
var (options, error) = AgentOptions.Parse(args);
if (options is null)
{
    await Console.Error.WriteLineAsync($"lazyaf-native-agent: {error}\n{AgentOptions.Usage}");
    return 1;
}
using var log = new LoggerConfiguration()
    .WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj}{NewLine}{Exception}")
    .CreateLogger();

var identity = new RunnerIdentity(options.StateDir);
identity.Load();
if (identity.Credential is null && string.IsNullOrEmpty(options.Token))
{
    await Console.Error.WriteLineAsync($"lazyaf-native-agent: this runner is not registered yet ({identity.File} is missing): pass --token with a registration token");
    return 1;
}

// The host's containment, for the same reasons: cancel, timeout and a drain kill every process of a step, and a restarted
// agent kills what the steps of one that died left running before it takes a job.
StepContainment containment;
try
{
    containment = StepContainment.Create(options.Containment, options.StateDir, options.RunAs);
}
catch (InvalidOperationException e)
{
    await Console.Error.WriteLineAsync($"lazyaf-native-agent: {e.Message}");
    return 1;
}
using var contained = containment;
log.Information("Steps run in {Containment} cells{RunAs}", containment.Mode, containment.RunAs is { } user ? $" as {user.Name}" : "");
foreach (var left in await containment.SweepAsync())
    log.Warning("Killed what was left running of execution {ExecutionId}'s step, started by an agent that died", left);

var agentOptions = new AgentRunnerOptions { RunnerName = options.Name };
IStepKind[] kinds =
[
    new ScriptStepKind(),
    new AgentStepKind([new ClaudeCodeCli(), new CommandAgentCli(), new GeminiCli(Path.Combine(options.StateDir, "gemini")), new CodexCli()], agentOptions),
];
var runner = new StepRunner(kinds, new StepRunnerOptions { Containment = containment });

// SIGTERM or Ctrl-C drains (finish the steps, then exit); a second one stops at once.
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
    },
    HttpVersion = HttpVersion.Version20,
    MaxReceiveMessageSize = 16 * 1024 * 1024,
});
var client = new RunnerService.RunnerServiceClient(channel);
var connection = new ConnectionLoop(options, identity, runner, new HashSet<string>(kinds.Select(k => k.Type), StringComparer.Ordinal), log);
return await connection.RunAsync(client, drain.Token, kill.Token);
