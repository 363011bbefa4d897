using LazyAf.Runner;
using LazyAf.Runner.Docker;

namespace LazyAf.RunnerAgent;

/// <summary>
/// The <c>script</c> step of an agent started with <c>--step-image</c>: the command runs with <c>sh -e</c> in a container
/// of that image, made and confined as a docker step's (the workspace at <c>/workspace</c>, the same limits, removed
/// when the step ends), so a script step on a shared Docker host touches nothing of the host but its workspace. Its
/// container outlives the agent like a docker step's, so a restarted agent re-attaches to it the same way.
/// </summary>
/// <param name="docker">The docker step kind that runs the container.</param>
/// <param name="image">The image every script step runs in; it must be in the local engine (nothing is pulled).</param>
internal sealed class ContainedScriptStepKind(DockerStepKind docker, string image) : IReattachableStepKind
{
    public string Type => "script";

    public Task<int> RunAsync(StepSpec spec, string workspace, IStepOutput output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Step is not ScriptStepDefinition { Command: { } line } script || string.IsNullOrWhiteSpace(line))
            throw new StepFailedException("a script step needs a command");
        // set -e: the host's script steps stop at the first failing command (bash -e); the image need not have bash.
        var contained = new DockerStepDefinition(image, $"set -e\n{line}") { WorkingDir = script.WorkingDir, KeepPartialWork = script.KeepPartialWork };
        return docker.RunAsync(spec with { Step = contained }, workspace, output, ct);
    }

    public Task<int> FollowAsync(string executionId, DateTimeOffset? since, IStepOutput output, CancellationToken ct) => docker.FollowAsync(executionId, since, output, ct);

    public Task DiscardAsync(string executionId, CancellationToken ct) => docker.DiscardAsync(executionId, ct);

    public Task<bool> OutlivedAsync(string executionId, CancellationToken ct) => docker.OutlivedAsync(executionId, ct);
}
