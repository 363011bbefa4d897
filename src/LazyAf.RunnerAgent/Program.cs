using LazyAf.RunnerAgent;
using LazyAf.Runner;
using LazyAf.Runner.Docker;
using LazyAf.Runner.Remote;
using LazyAf.Runner.Steps;

// The agent for Docker hosts: docker steps in containers of the local engine; script steps on the host, or each in a
// container of --step-image; agent steps on the host, or each in a container of --agent-image. A docker step's sidecar
// debug terminal is a container of --sidecar-image (alpine).
var program = new AgentProgram("lazyaf-runner", "0.1.0")
{
    Options = [new("docker-host", "[--docker-host unix:///var/run/docker.sock|tcp://HOST:PORT]"), new("step-image", "[--step-image IMAGE]"), new("agent-image", "[--agent-image IMAGE]"),
        new("sidecar-image", "[--sidecar-image IMAGE]")],
    Labels = ["has=docker"],
};
return await RemoteAgent.RunAsync(program, args, async (setup, ct) =>
{
    var endpoint = setup.Options.Extra.GetValueOrDefault("docker-host") ?? Environment.GetEnvironmentVariable("DOCKER_HOST") ?? "unix:///var/run/docker.sock";
    if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var engine) || engine.Scheme is not ("unix" or "tcp" or "http" or "https"))
        throw new InvalidOperationException($"--docker-host must be the engine's endpoint, e.g. unix:///var/run/docker.sock, not '{endpoint}'");
    var dockerOptions = new DockerStepOptions { Endpoint = engine };
    if (setup.Options.Extra.TryGetValue("sidecar-image", out var sidecar))
        dockerOptions = dockerOptions with { SidecarImage = sidecar };
    var docker = new DockerStepKind(dockerOptions);
    try
    {
        await docker.PingAsync(ct);
    }
    catch (StepFailedException e)
    {
        throw new InvalidOperationException(e.Message, e);
    }
    IStepKind script = setup.Options.Extra.TryGetValue("step-image", out var image) ? new ContainedScriptStepKind(docker, image) : new ScriptStepKind();
    var agents = setup.Options.Extra.TryGetValue("agent-image", out var agentImage) ? new AgentContainers(dockerOptions, agentImage) : null;
    setup.Log.Information("Docker engine at {Engine}; script steps run {Where}, agent steps {AgentsWhere}", engine,
        image is null ? "on this host" : $"in a container of {image}", agents?.Where ?? "on this host");
    return [docker, script, setup.AgentSteps(agents)];
});
