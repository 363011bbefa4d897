using System.Text;
using LazyAf.Runner.Processes;

namespace LazyAf.Runner.Steps;

/// <summary>
/// The <c>script</c> step: <c>bash -e -c COMMAND</c> in the step's working directory, in a session of its
/// own so that cancel and timeout kill everything it started.
/// </summary>
/// <param name="killGrace">How long the script gets between SIGTERM and SIGKILL.</param>
public sealed class ScriptStepKind(TimeSpan killGrace) : IStepKind
{
    /// <summary>A script kind with the default kill grace.</summary>
    public ScriptStepKind()
        : this(new StepRunnerOptions().KillGrace)
    {
    }

    /// <inheritdoc />
    public string Type => "script";

    /// <inheritdoc />
    public async Task<int> RunAsync(StepSpec spec, string workspace, IStepOutput output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(output);
        if (spec.Step is not ScriptStepDefinition { Command: { } line } || string.IsNullOrWhiteSpace(line))
            throw new StepFailedException("a script step needs a command");
        var directory = StepWorkingDirectory.Require(workspace, spec.Step.WorkingDir);
        var where = string.IsNullOrEmpty(spec.Step.WorkingDir) ? "" : $" (in {spec.Step.WorkingDir})";
        await output.WriteAsync(LogStream.System, Encoding.UTF8.GetBytes($"$ bash -e -c {line}{where}\n"), ct);
        var command = new ProcessCommand("bash", ["-e", "-c", line], directory, StepEnvironment.For(spec, workspace));
        return await SessionProcess.RunAsync(command, output, killGrace, ct);
    }
}
