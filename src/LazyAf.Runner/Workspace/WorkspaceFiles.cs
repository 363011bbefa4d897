using LazyAf.Runner.Logs;
using LazyAf.Runner.Steps;

namespace LazyAf.Runner.Workspace;

/// <summary>The files a fresh workspace gets before set-up (e.g. <c>.env</c> from the repo's secrets), kept out of commits.</summary>
internal static class WorkspaceFiles
{
    public static async Task WriteAsync(StepSpec spec, string workspace, LogShipper log, CancellationToken ct)
    {
        foreach (var (relative, content) in spec.Files)
        {
            var path = StepWorkingDirectory.Resolve(workspace, relative)
                ?? throw new StepFailedException($"file '{relative}' would be outside the workspace");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, content, ct);
            await GitExclude.AddAsync(workspace, "/" + Path.GetRelativePath(workspace, path).Replace('\\', '/'), ct);
            await log.SystemAsync($"wrote {relative} (not committed)");
        }
    }
}
