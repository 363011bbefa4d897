using LazyAf.Kernel;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Modules.Repos.Data;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Repos.Domain;

/// <summary>
/// Records every ref change of a push or of the host's own moves, whatever happens to the client or the host. git's
/// <c>reference-transaction</c> hook writes each change down before git makes it (<c>{journal}.prepared</c>) and
/// again once it is made (<c>{journal}</c>); the journal, named after the repo, the change and its source, is deleted
/// only after the change is recorded with its <see cref="PushReceived"/>. A git killed between the two lines, or a
/// host that dies before recording, leaves the journal behind: the change is then recorded from what the ref holds
/// (right away for a killed git, at the next start for a dead host). Recording is idempotent by change id.
/// </summary>
internal sealed class RefChangeRecorder(BareRepositories repos, RefUpdateLog log, ILogger<RefChangeRecorder> logger)
{
    /// <summary>The environment variable that names the journal of one push or move; without it the hook does nothing.</summary>
    public const string JournalVariable = "LAZYAF_REF_JOURNAL";

    private const string Prepared = ".prepared";
    private static readonly string[] Sources = ["push", "merge", "api"];

    /// <summary>A fresh journal path for a change of <paramref name="repoId"/>'s refs made by <paramref name="source"/>.</summary>
    public string NewJournal(string repoId, string source)
    {
        if (!Sources.Contains(source))
            throw new ArgumentException($"'{source}' is not a source of ref changes.", nameof(source));
        Directory.CreateDirectory(repos.PushLogDir);
        return Path.Combine(repos.PushLogDir, $"{repoId}.{Ids.New()}.{source}.log");
    }

    /// <summary>
    /// Records what the journal says git did and deletes it. <paramref name="interrupted"/>: git was killed, so a change
    /// it prepared may have been made without its second line; it is recorded if the ref holds its new value.
    /// </summary>
    public async Task RecordAsync(string journal, bool interrupted, CancellationToken ct)
    {
        var prepared = journal + Prepared;
        if (!File.Exists(journal) && !File.Exists(prepared))
            return;
        var name = Path.GetFileName(journal).Split('.');
        if (name is not [var repoId, var changeId, var source, "log"] || !Ids.IsValid(repoId) || !Ids.IsValid(changeId) || !Sources.Contains(source))
        {
            logger.LogWarning("Ignoring ref journal {Journal} with an unexpected name", journal);
            Delete(journal);
            return;
        }

        var made = Parse(File.Exists(journal) ? await File.ReadAllLinesAsync(journal, ct) : []);
        if (interrupted && File.Exists(prepared) && repos.Exists(repoId))
        {
            foreach (var update in Parse(await File.ReadAllLinesAsync(prepared, ct)).Except(made))
            {
                if (await HoldsAsync(repoId, update, ct))
                    made.Add(update);
            }
        }
        await log.RecordAsync(repoId, changeId, source, made, ct);
        Delete(journal);
        if (made.Count > 0)
            logger.LogInformation("Ref change {ChangeId} ({Source}) of repo {RepoId} moved {RefCount} refs", changeId, source, repoId, made.Count);
    }

    /// <summary>Records the changes whose host died before it could record them; run before git serves anyone.</summary>
    public async Task RecoverAsync(CancellationToken ct)
    {
        if (!Directory.Exists(repos.PushLogDir))
            return;
        var journals = Directory.EnumerateFiles(repos.PushLogDir)
            .Select(path => path.EndsWith(Prepared, StringComparison.Ordinal) ? path[..^Prepared.Length] : path)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        foreach (var journal in journals)
        {
            logger.LogInformation("Recovering unrecorded ref journal {Journal}", journal);
            await RecordAsync(journal, interrupted: true, ct);
        }
    }

    private async Task<bool> HoldsAsync(string repoId, RefUpdate update, CancellationToken ct)
    {
        var current = await GitCli.RunAsync(repos.PathOf(repoId), ["rev-parse", "--verify", "--quiet", update.Ref], ct);
        return update.NewSha == PushReceived.ZeroSha ? !current.Succeeded : current.StandardOutput.Trim() == update.NewSha;
    }

    private static void Delete(string journal)
    {
        File.Delete(journal + Prepared);
        File.Delete(journal);
    }

    // A ref deleted from packed-refs is reported once per ref store: the same line twice is one change. The first
    // branch of an empty repo moves HEAD with it (a symbolic ref): only refs/ are the changes.
    private static List<RefUpdate> Parse(IEnumerable<string> lines) =>
        lines.Select(line => line.Split(' ', 3))
            .Where(parts => parts.Length == 3 && parts[0].Length == 40 && parts[1].Length == 40 && parts[0] != parts[1]
                && parts[2].StartsWith("refs/", StringComparison.Ordinal))
            .Select(parts => new RefUpdate(parts[2].Trim(), parts[0], parts[1]))
            .Distinct()
            .ToList();
}
