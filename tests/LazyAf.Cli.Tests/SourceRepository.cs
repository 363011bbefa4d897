using System.Diagnostics;
using System.Text;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>Repositories for the CLI to ingest, built fast with <c>git fast-import</c> instead of one process per commit.</summary>
public static class SourceRepository
{
    public const string OriginUrl = "https://example.test/acme/app.git";

    /// <summary>
    /// A checked-out repo on <c>main</c> with <paramref name="commits"/> commits on main, <paramref name="branches"/>
    /// feature branches (two commits each, forked along main), lightweight and annotated tags, and an origin remote.
    /// </summary>
    public static async Task<string> CreateLargeAsync(string path, int commits, int branches)
    {
        Directory.CreateDirectory(path);
        await TestGit.RunAsync(path, "init", "--quiet", "--initial-branch", "main");
        await FastImportAsync(path, LargeHistory(commits, branches));
        await TestGit.RunAsync(path, "reset", "--quiet", "--hard", "main");
        await TestGit.RunAsync(path, "remote", "add", "origin", OriginUrl);
        return path;
    }

    private static string LargeHistory(int commits, int branches)
    {
        var stream = new StringBuilder();
        var mark = 0;
        void Commit(string branch, string file, string message, int? from)
        {
            mark++;
            stream.Append($"commit refs/heads/{branch}\nmark :{mark}\n");
            stream.Append($"committer Test Committer <committer@example.test> {1_700_000_000 + mark} +0000\n");
            stream.Append($"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
            if (from is { } parent)
                stream.Append($"from :{parent}\n");
            var content = $"{message}\n";
            stream.Append($"M 644 inline {file}\ndata {Encoding.UTF8.GetByteCount(content)}\n{content}\n");
        }

        for (var i = 1; i <= commits; i++)
            Commit("main", $"src/file{i % 10}.txt", $"Main commit {i}", null);
        for (var b = 1; b <= branches; b++)
        {
            var forkPoint = commits * b / (branches + 1);
            Commit($"feature/f{b}", $"feature{b}.txt", $"Feature {b} start", forkPoint);
            Commit($"feature/f{b}", $"feature{b}.txt", $"Feature {b} more", null);
        }
        stream.Append($"reset refs/tags/light-1\nfrom :{commits / 4}\n\n");
        stream.Append($"reset refs/tags/light-2\nfrom :{mark}\n\n");
        foreach (var (tag, at) in new[] { ("v1.0", commits / 2), ("v2.0", commits) })
        {
            var message = $"Release {tag}\n";
            stream.Append($"tag {tag}\nfrom :{at}\ntagger Test Tagger <tagger@example.test> 1700000000 +0000\n");
            stream.Append($"data {Encoding.UTF8.GetByteCount(message)}\n{message}\n");
        }
        return stream.ToString();
    }

    private static async Task FastImportAsync(string repo, string stream)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = repo, RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (key, value) in TestGit.Environment)
            start.Environment[key] = value;
        start.ArgumentList.Add("fast-import");
        start.ArgumentList.Add("--quiet");
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stream);
        process.StandardInput.Close();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"git fast-import failed: {await error}");
    }
}
