using LazyAf.Kernel.Storage;
using LazyAf.Runner;
using LazyAf.Runner.Artifacts;
using LazyAf.Runner.Remote;
using Wire = LazyAf.Protocol.V1;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>
/// What a remote runner sent of a finished step before its result: its test cases (placed by offset, so a resend after
/// a reconnect changes nothing), its coverage, and its artifacts, each written into <see cref="Directory"/> under the
/// data directory as it comes, checked against its declared size, the cap and its FNV-1a hash. A problem (a full disk,
/// a bad hash, an artifact over the cap) is kept, naming the artifact, and the step's artifacts are refused with it.
/// Only the session's reader touches it.
/// </summary>
internal sealed class RemoteOutputs(string directory, long maxArtifactBytes, DataDirectorySpace space)
{
    private readonly SortedDictionary<int, IReadOnlyList<TestCaseResult>> _batches = [];
    private readonly HashSet<string> _received = new(StringComparer.Ordinal);
    private Upload? _open;
    private int _casesLeftOut;

    /// <summary>Where every execution's outputs are received, each in a directory named by its id.</summary>
    public static string Root(string dataDir) => System.IO.Path.Combine(dataDir, "runner-outputs");

    /// <summary>Where the artifacts are received, by their names; the artifact store reads them from here.</summary>
    public string Directory { get; } = directory;

    /// <summary>The step's coverage, if the runner sent it.</summary>
    public CoverageSummary? Coverage { get; private set; }

    /// <summary>Why the artifacts cannot be kept, naming the one that failed; null while all is well.</summary>
    public string? Problem { get; private set; }

    /// <summary>How many artifacts arrived whole.</summary>
    public int Received => _received.Count;

    public void Add(Wire.TestResults batch)
    {
        _batches[Math.Max(0, batch.Offset)] = [.. batch.Cases.Select(WireResults.ToRunner)];
        _casesLeftOut = Math.Max(0, batch.CasesLeftOut);
    }

    public void Add(Wire.CoverageReport coverage) => Coverage = WireResults.ToRunner(coverage);

    /// <summary>The result with the cases and coverage the runner sent; the cases only when all <paramref name="expected"/> came, in order.</summary>
    public StepResult Apply(StepResult result, int expected)
    {
        result = result with { Coverage = Coverage ?? result.Coverage };
        if (result.Tests is not { } tests || expected == 0)
            return result;
        var cases = new List<TestCaseResult>(expected);
        foreach (var (offset, batch) in _batches)
        {
            if (offset != cases.Count)
                return result;
            cases.AddRange(batch);
        }
        return cases.Count == expected ? result with { Tests = tests with { Cases = cases, CasesLeftOut = _casesLeftOut } } : result;
    }

    public void Open(Wire.ArtifactOpen open)
    {
        Abort();
        _received.Remove(open.Name);
        if (Problem is not null)
            return;
        // The runner picked it by the step's globs; a name that leaves this directory is not one a glob could pick.
        if (!ArtifactFiles.IsWorkspacePath(open.Name) || open.Name.Contains('\\', StringComparison.Ordinal))
        {
            Problem = $"the runner sent an artifact named '{open.Name}', which is not a path inside the workspace; none kept";
            return;
        }
        if (maxArtifactBytes > 0 && open.Size > maxArtifactBytes)
        {
            Problem = $"artifact '{open.Name}' is {ArtifactFiles.Size(open.Size)}, over the {ArtifactFiles.Size(maxArtifactBytes)} one artifact may take (Reports:MaxArtifactBytes); none kept";
            return;
        }
        var path = Path.Combine(Directory, open.Name);
        Guarded(open.Name, () =>
        {
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            _open = new Upload(open.Name, open.Size, path, new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None));
        });
    }

    public void Write(Wire.ArtifactChunk chunk)
    {
        if (_open is not { } upload)
            return;
        if (chunk.Offset != upload.Written || upload.Written + chunk.Data.Length > upload.Size)
        {
            Problem = $"artifact '{upload.Name}' came with a chunk at {chunk.Offset} of {chunk.Data.Length} bytes after {upload.Written} of {upload.Size}; none kept";
            Abort();
            return;
        }
        Guarded(upload.Name, () =>
        {
            upload.File.Write(chunk.Data.Span);
            upload.Hash.Append(chunk.Data.Span);
            upload.Written += chunk.Data.Length;
        });
    }

    public void Close(Wire.ArtifactClose close)
    {
        if (_open is not { } upload || upload.Name != close.Name)
            return;
        if (upload.Written != upload.Size || upload.Hash.Value != close.Fnv1A64)
        {
            Problem = $"artifact '{upload.Name}' arrived damaged ({upload.Written} of {upload.Size} bytes, FNV-1a {upload.Hash.Value:x16} where the runner sent {close.Fnv1A64:x16}); none kept";
            Abort();
            return;
        }
        Guarded(upload.Name, () =>
        {
            upload.File.Dispose();
            _open = null;
            _received.Add(upload.Name);
        });
    }

    /// <summary>Removes what was received.</summary>
    public void Delete()
    {
        Abort();
        if (System.IO.Directory.Exists(Directory))
            System.IO.Directory.Delete(Directory, recursive: true);
    }

    // A full data directory ends this step's artifacts, and says so; the host goes on (the space monitor takes over).
    private void Guarded(string name, Action write)
    {
        try
        {
            write();
        }
        catch (IOException e) when (DataDirectorySpace.IsDiskFull(e))
        {
            space.ReportFull(e);
            Problem = $"could not keep artifact '{name}': {space.Explanation}; none kept";
            Abort();
        }
    }

    private void Abort()
    {
        if (_open is not { } upload)
            return;
        _open = null;
        try
        {
            upload.File.Dispose();
        }
        catch (IOException)
        {
            // Flushing the rest failed (the disk is full): the partial file goes anyway.
        }
        File.Delete(upload.Path);
    }

    private sealed class Upload(string name, long size, string path, FileStream file)
    {
        public string Name { get; } = name;
        public long Size { get; } = size;
        public string Path { get; } = path;
        public FileStream File { get; } = file;
        public Fnv1a64 Hash { get; } = new();
        public long Written { get; set; }
    }
}
