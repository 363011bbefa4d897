namespace LazyAf.Testing;

/// <summary>
/// A local image for sidecar debug terminals: <c>lazyaf/busybox:test</c> with a file only it has, so a test can tell
/// a sidecar's container from the step's. No registry is reachable here, so it is built from that image, once per engine.
/// </summary>
public static class SidecarImage
{
    /// <summary>The image's tag.</summary>
    public const string Tag = "lazyaf/sidecar:test";

    /// <summary>The file only this image has.</summary>
    public const string Marker = "/etc/lazyaf-sidecar";

    /// <summary>What <see cref="Marker"/> holds.</summary>
    public const string MarkerText = "the sidecar test image";

    private static readonly SemaphoreSlim Building = new(1, 1);

    /// <summary>Builds the image unless the engine has it; returns its tag.</summary>
    public static Task<string> EnsureAsync() => LocalImage.EnsureAsync(Tag, Building, async context =>
    {
        await File.WriteAllTextAsync(context.Combine("marker"), MarkerText + "\n");
        await File.WriteAllTextAsync(context.Combine("Dockerfile"), $"FROM lazyaf/busybox:test\nCOPY marker {Marker}\n");
    });
}
