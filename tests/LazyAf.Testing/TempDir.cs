namespace LazyAf.Testing;

/// <summary>A directory under /tmp that is deleted with the test that made it.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir(string prefix = "lazyaf-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process the test started may still hold a file; /tmp is cleaned anyway.
        }
    }
}
