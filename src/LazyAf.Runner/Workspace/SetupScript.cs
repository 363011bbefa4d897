using LazyAf.Runner.Logs;
using LazyAf.Runner.Processes;
using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Workspace;

/// <summary>
/// The repo's own preparation, run with <c>bash -e</c> in the workspace before the step: its configured
/// set-up command if it has one, else <c>.lazyaf/setup.sh</c> if that exists.
/// </summary>
internal static class SetupScript
{
    public const string RelativePath = ".lazyaf/setup.sh";

    public static async Task RunIfPresentAsync(StepSpec spec, string workspace, LogShipper log, TimeSpan killGrace, CancellationToken ct)
    {
        string[] args;
        string name;
        if (!string.IsNullOrWhiteSpace(spec.SetupCommand))
            (args, name) = (["-e", "-c", spec.SetupCommand], "the set-up command");
        else if (File.Exists(Path.Combine(workspace, RelativePath)))
            (args, name) = (["-e", RelativePath], RelativePath);
        else
            return;
        await log.SystemAsync($"$ bash {string.Join(' ', args)}");
        var command = new ProcessCommand("bash", args, workspace, StepEnvironment.For(spec, workspace));
        var exitCode = await SessionProcess.RunAsync(command, log, killGrace, ct);
        if (exitCode != 0)
            throw new StepFailedException($"set-up ({name}) failed with exit code {exitCode}");
    }
}
