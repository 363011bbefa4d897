using LazyAf.Runner.Logs;
using LazyAf.Runner.Processes;
using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Workspace;

/// <summary>The repo's own preparation, <c>.lazyaf/setup.sh</c>, run with <c>bash -e</c> in the workspace before the step.</summary>
internal static class SetupScript
{
    public const string RelativePath = ".lazyaf/setup.sh";

    public static async Task RunIfPresentAsync(StepSpec spec, string workspace, LogShipper log, TimeSpan killGrace, CancellationToken ct)
    {
        if (!File.Exists(Path.Combine(workspace, RelativePath)))
            return;
        await log.SystemAsync($"$ bash -e {RelativePath}");
        var command = new ProcessCommand("bash", ["-e", RelativePath], workspace, StepEnvironment.For(spec, workspace));
        var exitCode = await SessionProcess.RunAsync(command, log, killGrace, ct);
        if (exitCode != 0)
            throw new StepFailedException($"set-up {RelativePath} failed with exit code {exitCode}");
    }
}
