namespace LazyAf.Runner.Workspace;

/// <summary>
/// Whether a failed run failed because its workspace's file system is full: then the reason says so,
/// instead of leaving the user to find "No space left on device" in the log.
/// </summary>
internal static class WorkspaceDisk
{
    /// <summary>Below this, nothing useful fits: a commit, a log line, a test report.</summary>
    private const long NearlyFullBytes = 64 * 1024;

    public static string? FullReason(string workspace)
    {
        try
        {
            var free = new DriveInfo(workspace).AvailableFreeSpace;
            return free < NearlyFullBytes ? $"the workspace's disk is full ({free} bytes free)" : null;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
