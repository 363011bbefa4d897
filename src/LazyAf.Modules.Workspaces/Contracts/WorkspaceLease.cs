namespace LazyAf.Modules.Workspaces.Contracts;

/// <summary>A shared hold on a workspace; disposing it releases the hold (once, however often it is disposed).</summary>
public sealed class WorkspaceLease : IAsyncDisposable
{
    private Func<ValueTask>? _release;

    internal WorkspaceLease(string workspaceId, string key, string path, bool reused, Func<ValueTask> release)
    {
        WorkspaceId = workspaceId;
        Key = key;
        Path = path;
        Reused = reused;
        _release = release;
    }

    /// <summary>The workspace's id.</summary>
    public string WorkspaceId { get; }

    /// <summary>The key the lease was taken on.</summary>
    public string Key { get; }

    /// <summary>The workspace's directory; it exists while the lease is held.</summary>
    public string Path { get; }

    /// <summary>
    /// The directory was another key's (a warm workspace of the same repo) and holds what its last step left: whoever
    /// prepares it must make it as clean as a new one. False for a new directory and for the key's own earlier one.
    /// </summary>
    public bool Reused { get; }

    /// <inheritdoc />
    public ValueTask DisposeAsync() =>
        Interlocked.Exchange(ref _release, null) is { } release ? release() : ValueTask.CompletedTask;
}
