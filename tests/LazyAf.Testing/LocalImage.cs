using System.Diagnostics;

namespace LazyAf.Testing;

/// <summary>
/// A test image built on this machine (no registry is reachable here): from a build context written on the spot,
/// unless the engine already has its tag. One build at a time per tag's gate, so parallel tests wait for it instead of
/// racing to build it twice.
/// </summary>
public static class LocalImage
{
    /// <summary>Builds <paramref name="tag"/> from the context <paramref name="writeContext"/> fills (its Dockerfile included) unless the engine has it; returns the tag.</summary>
    public static async Task<string> EnsureAsync(string tag, SemaphoreSlim gate, Func<TempDir, Task> writeContext)
    {
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(writeContext);
        await gate.WaitAsync();
        try
        {
            if (await DockerAsync(null, "image", "inspect", tag) == 0)
                return tag;
            using var context = new TempDir("image");
            await writeContext(context);
            var exit = await DockerAsync(context.Path, "build", "-q", "-t", tag, ".");
            return exit == 0 ? tag : throw new InvalidOperationException($"docker build of {tag} exited {exit}");
        }
        finally
        {
            gate.Release();
        }
    }

    private static async Task<int> DockerAsync(string? directory, params string[] args)
    {
        var start = new ProcessStartInfo("docker") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory ?? "" };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var output = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
        await process.WaitForExitAsync();
        await output;
        return process.ExitCode;
    }
}
