using System.Diagnostics;
using LazyAf.Testing;

namespace LazyAf.Host.Tests;

/// <summary>
/// scripts/lib/publish-when-stale.sh, which scripts/up (through scripts/publish-host) and scripts/lazyaf use: a program
/// is published when it is missing or a source is newer than it, never again while it is fresh, and obj/ and bin/
/// under the sources do not count. Driven with a stand-in publish that counts its calls.
/// </summary>
public sealed class PublishWhenStaleTests : IDisposable
{
    private readonly TempDir _dir = new("lazyaf-publish");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Publishes_once_and_again_only_when_a_source_outside_obj_and_bin_is_newer()
    {
        var source = _dir.Combine("src", "Program.cs");
        var built = _dir.Combine("src", "obj", "Program.g.cs");
        Directory.CreateDirectory(Path.GetDirectoryName(built)!);
        await File.WriteAllTextAsync(source, "class Program;");
        await File.WriteAllTextAsync(built, "// generated");
        var past = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(source, past);
        File.SetLastWriteTimeUtc(built, past);

        Assert.Equal(1, await PublishAsync());
        Assert.Equal(1, await PublishAsync());
        Assert.True(File.Exists(_dir.Combine("out", "program.dll")));

        File.SetLastWriteTimeUtc(built, DateTime.UtcNow.AddHours(1));
        Assert.Equal(1, await PublishAsync());

        File.SetLastWriteTimeUtc(source, DateTime.UtcNow.AddHours(1));
        Assert.Equal(2, await PublishAsync());
        Assert.False(Directory.Exists(_dir.Combine("out.new")));
    }

    // Runs publish_when_stale with a publish that writes the program and counts itself; returns the count so far.
    private async Task<int> PublishAsync()
    {
        var script = """
            set -euo pipefail
            . "$1/scripts/lib/publish-when-stale.sh"
            publish() { mkdir -p "$1"; echo built > "$1/program.dll"; echo call >> "$DIR/calls"; }
            publish_when_stale "$DIR/out" "$DIR/out/program.dll" publish "$DIR/src"
            wc -l < "$DIR/calls"
            """;
        var start = new ProcessStartInfo("bash", ["-c", script, "bash", RepoRoot()]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DIR"] = _dir.Path;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, error);
        return int.Parse(output.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LazyAf.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LazyAf.sln not found above the test binaries");
    }
}
