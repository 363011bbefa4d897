using LazyAf.Modules.Execution.Contracts;
using LazyAf.Runner.Logs;

namespace LazyAf.Modules.Debug.Domain;

/// <summary>How one command went: its exit code (none when it was killed or its terminal ended otherwise, then <paramref name="Reason"/>), its output's tail.</summary>
internal sealed record StepCommandResult(int? ExitCode, string Output, bool Truncated, bool TimedOut, string? Reason);

/// <summary>
/// Runs one command in a paused step's environment: a terminal of <see cref="IStepEnvironment"/> opened with the command
/// (the same place, variables and secret masking as the debug terminal of its mode), its output read until it closes. The output is
/// stdout and stderr as the terminal interleaved them, with the terminal's CRLF line ends made LF, and only its last
/// <see cref="OutputCap"/> bytes kept (a failing test says why at the end). Past the timeout the command's process
/// group (and its container) is killed.
/// </summary>
internal static class StepCommand
{
    public const int OutputCap = 64 * 1024;

    // Wide, so that a tool which formats to the window's width wraps little.
    private const ushort Columns = 200;
    private const ushort Rows = 50;

    /// <exception cref="IOException">The command's shell could not start.</exception>
    public static async Task<StepCommandResult> RunAsync(IStepEnvironment environment, DebugTerminalMode mode, string command, TimeSpan timeout, Task<string> sessionClosed, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        var terminal = await environment.OpenTerminalAsync(mode, Columns, Rows, command, ct);
        await using (terminal)
        {
            var tail = new LogTail(OutputCap);
            // The session ending, or its runner going, ends the command too.
            _ = Task.WhenAny(sessionClosed, environment.Lost).ContinueWith(_ => Cancel(stop), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            var buffer = new byte[16 * 1024];
            try
            {
                int read;
                // A read of a pseudo-terminal does not heed its token: the wait for it does, and disposing the terminal ends it.
                while ((read = await terminal.ReadAsync(buffer, stop.Token).AsTask().WaitAsync(stop.Token)) > 0)
                    tail.Append(buffer.AsSpan(0, read));
                var end = await terminal.Ended.WaitAsync(stop.Token);
                return new StepCommandResult(end.ExitCode, Text(tail), tail.Truncated, false, end.ExitCode is null ? Why(terminal, sessionClosed, environment) : null);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return timer.IsCancellationRequested
                    ? new StepCommandResult(null, Text(tail), tail.Truncated, true, $"killed after {timeout.TotalSeconds:0} s")
                    : new StepCommandResult(null, Text(tail), tail.Truncated, false, Why(terminal, sessionClosed, environment));
            }
        }
    }

    private static void Cancel(CancellationTokenSource stop)
    {
        try
        {
            stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The command was over already.
        }
    }

    private static string Text(LogTail tail) => tail.ToString().Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string Why(IStepTerminal terminal, Task<string> sessionClosed, IStepEnvironment environment) =>
        sessionClosed.IsCompleted ? sessionClosed.Result
        : environment.Lost.IsCompleted ? environment.Lost.Result
        : terminal.Ended.IsCompletedSuccessfully && terminal.Ended.Result.Reason is { } reason ? reason
        : "the command's terminal closed";
}
