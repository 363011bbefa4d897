using System.Diagnostics;

namespace LazyAf.Testing;

/// <summary>
/// The agent as Native AOT publishes it, in <c>artifacts/native-agent/RID/</c>: <c>scripts/test</c> publishes it
/// before the tests (with <c>scripts/publish-native-agent</c>); a test run without that publishes it first, once.
/// </summary>
public static class PublishedAgent
{
    private static readonly SemaphoreSlim Publishing = new(1, 1);

    /// <summary>The command that runs the agent for <paramref name="rid"/> on this machine: the binary itself, or through qemu for arm64.</summary>
    public static async Task<string[]> CommandAsync(string rid)
    {
        var binary = await BinaryAsync(rid);
        return rid == "linux-arm64" ? ["qemu-aarch64-static", "-L", "/usr/aarch64-linux-gnu", binary] : [binary];
    }

    private static async Task<string> BinaryAsync(string rid)
    {
        var root = RepoRoot();
        var binary = Path.Combine(root, "artifacts", "native-agent", rid, "lazyaf-native-agent");
        await Publishing.WaitAsync();
        try
        {
            if (File.Exists(binary))
                return binary;
            using var publish = Process.Start(new ProcessStartInfo(Path.Combine(root, "scripts", "publish-native-agent"), [rid])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            })!;
            var output = publish.StandardOutput.ReadToEndAsync();
            var errors = publish.StandardError.ReadToEndAsync();
            await publish.WaitForExitAsync();
            if (publish.ExitCode != 0 || !File.Exists(binary))
                throw new InvalidOperationException($"scripts/publish-native-agent {rid} failed ({publish.ExitCode}):\n{await output}\n{await errors}");
            return binary;
        }
        finally
        {
            Publishing.Release();
        }
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LazyAf.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("LazyAf.sln not found above the test binaries");
    }
}
