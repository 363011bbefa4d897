namespace LazyAf.Testing.Models;

/// <summary>
/// A local image with the real Claude Code CLI on its PATH, for agent steps in containers: no registry is reachable
/// here, so it is built on <c>lazyaf/busybox:test</c> from this machine's files. Claude Code 2.x is one native binary
/// (no node), linked against glibc; the image gets it, bash (its Bash tool's shell), the few glibc libraries both need
/// and an <c>/etc/os-release</c> of its own, so a test can tell the container from the host. Built once per engine
/// (about 20 s: the binary is 360 MB), then reused by its tag.
/// </summary>
public static class ClaudeImage
{
    /// <summary>The image's tag.</summary>
    public const string Tag = "lazyaf/claude-code:test";

    /// <summary>What <c>cat /etc/os-release</c> prints in it.</summary>
    public const string OsRelease = "NAME=\"LazyAF agent test image\"\nID=lazyaf-agent\n";

    private static readonly string[] Libraries = ["libc.so.6", "librt.so.1", "libpthread.so.0", "libdl.so.2", "libm.so.6", "libtinfo.so.6"];
    private static readonly SemaphoreSlim Building = new(1, 1);

    /// <summary>Builds the image unless the engine has it; returns its tag.</summary>
    public static Task<string> EnsureAsync() => LocalImage.EnsureAsync(Tag, Building, async context =>
    {
        var libraries = Directory.CreateDirectory(context.Combine("lib", "x86_64-linux-gnu")).FullName;
        foreach (var library in Libraries)
            File.Copy(Path.Combine("/lib/x86_64-linux-gnu", library), Path.Combine(libraries, library));
        File.Copy("/lib64/ld-linux-x86-64.so.2", Path.Combine(Directory.CreateDirectory(context.Combine("lib64")).FullName, "ld-linux-x86-64.so.2"));
        File.Copy("/bin/bash", Path.Combine(Directory.CreateDirectory(context.Combine("usr", "local", "bin")).FullName, "bash"));
        File.Copy(new FileInfo(AgentClis.Claude).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? AgentClis.Claude, context.Combine("usr", "local", "bin", "claude"));
        await File.WriteAllTextAsync(Path.Combine(Directory.CreateDirectory(context.Combine("etc")).FullName, "os-release"), OsRelease);
        Directory.CreateDirectory(context.Combine("root"));
        await File.WriteAllTextAsync(context.Combine("Dockerfile"), "FROM lazyaf/busybox:test\nCOPY . /\nENV PATH=/usr/local/bin:/bin HOME=/root SHELL=/usr/local/bin/bash\n");
    });
}
