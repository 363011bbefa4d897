using System.Diagnostics;

namespace LazyAf.Testing;

/// <summary>A tmpfs of a given size mounted on a temp directory (needs root, as CI is), for tests of a disk that fills.</summary>
public sealed class Tmpfs : IAsyncDisposable
{
    private readonly TempDir _mount;

    private Tmpfs(TempDir mount) => _mount = mount;

    /// <summary>Where it is mounted.</summary>
    public string Path => _mount.Path;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (as <c>mount -o size=</c> takes it: <c>30m</c>).</summary>
    public static async Task<Tmpfs> MountAsync(string size)
    {
        var mount = new TempDir("lazyaf-tmpfs");
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={size}", "lazyaf-test-tmpfs", mount.Path);
        return new Tmpfs(mount);
    }

    /// <summary>Makes it <paramref name="size"/> large, as freeing space would.</summary>
    public Task ResizeAsync(string size) => RunAsync("mount", "-o", $"remount,size={size}", Path);

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "--lazy", Path);
        _mount.Dispose();
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed (this test needs root): {error}");
    }
}
