using LazyAf.Kernel;
using LazyAf.Modules.Repos.Data;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>
/// Turns what git's post-receive hook wrote for a push (one <c>old new ref</c> line per accepted
/// ref) into recorded ref updates and events. The hook writes to a file named after the repo and
/// the push, which is deleted only after recording; a host that dies in between records it at the
/// next start, and recording is idempotent by push id.
/// </summary>
internal sealed class PushRecorder(BareRepositories repos, RefUpdateLog log, ILogger<PushRecorder> logger)
{
    public const string LogPathVariable = "LAZYAF_PUSH_LOG";

    public string NewLogPath(string repoId)
    {
        Directory.CreateDirectory(repos.PushLogDir);
        return Path.Combine(repos.PushLogDir, $"{repoId}.{Ids.New()}.log");
    }

    public async Task RecordAsync(string logPath, CancellationToken ct)
    {
        if (!File.Exists(logPath))
            return;
        var name = Path.GetFileNameWithoutExtension(logPath).Split('.');
        if (name is not [var repoId, var pushId] || !Ids.IsValid(repoId) || !Ids.IsValid(pushId))
        {
            logger.LogWarning("Ignoring push log {PushLog} with an unexpected name", logPath);
            File.Delete(logPath);
            return;
        }

        var updates = Parse(await File.ReadAllLinesAsync(logPath, ct));
        await log.RecordAsync(repoId, pushId, "push", updates, ct);
        File.Delete(logPath);
        if (updates.Count > 0)
            logger.LogInformation("Push {PushId} to repo {RepoId} updated {RefCount} refs", pushId, repoId, updates.Count);
    }

    /// <summary>Records pushes whose host died before it could record them.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        if (!Directory.Exists(repos.PushLogDir))
            return;
        foreach (var path in Directory.EnumerateFiles(repos.PushLogDir, "*.log"))
        {
            logger.LogInformation("Recovering unrecorded push log {PushLog}", path);
            await RecordAsync(path, ct);
        }
    }

    private static List<RefUpdate> Parse(IEnumerable<string> lines) =>
        lines.Select(line => line.Split(' ', 3))
            .Where(parts => parts.Length == 3 && parts[0].Length == 40 && parts[1].Length == 40)
            .Select(parts => new RefUpdate(parts[2].Trim(), parts[0], parts[1]))
            .ToList();
}
