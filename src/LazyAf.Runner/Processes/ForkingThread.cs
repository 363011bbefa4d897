using System.Collections.Concurrent;
using System.Diagnostics;

namespace LazyAf.Runner.Processes;

/// <summary>
/// One thread, alive as long as this process, that starts every step process. A parent-death signal
/// (<c>PR_SET_PDEATHSIG</c>) fires when the <em>thread</em> that forked the child ends, not the process: forked from a
/// thread-pool thread that retires when idle, a step would be killed at a random moment.
/// </summary>
internal static class ForkingThread
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Queue = [];
    private static readonly Lazy<Thread> Thread = new(() =>
    {
        var thread = new Thread(Serve) { IsBackground = true, Name = "lazyaf-step-fork" };
        thread.Start();
        return thread;
    });

    /// <summary>Starts <paramref name="start"/> from the forking thread; fails as <see cref="Process.Start(ProcessStartInfo)"/> does.</summary>
    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        _ = Thread.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Queue.Add((start, started));
        return started.Task;
    }

    private static void Serve()
    {
        foreach (var (start, started) in Queue.GetConsumingEnumerable())
        {
            try
            {
                started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}"));
            }
            catch (Exception e)
            {
                started.SetException(e);
            }
        }
    }
}
