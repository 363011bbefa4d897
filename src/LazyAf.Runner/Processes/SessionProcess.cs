using System.ComponentModel;
using System.Diagnostics;

namespace LazyAf.Runner.Processes;

/// <summary>
/// Runs a program in a session of its own, started through <c>setsid</c>: our child is never a group
/// leader, so setsid execs in place and the program's pid is its process group id. Cancelling kills
/// that whole group (SIGTERM, a grace period, SIGKILL), so nothing the program started survives it.
/// </summary>
public static class SessionProcess
{
    // Something that left the group (its own setsid, a daemon) may hold our pipes open; we stop reading after this.
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Runs <paramref name="command"/> to its end, streaming its output to <paramref name="output"/>, and returns its exit code.
    /// On cancellation the process group is killed and <see cref="OperationCanceledException"/> is thrown.
    /// Processes the program leaves running in the background are killed when it exits.
    /// </summary>
    public static async Task<int> RunAsync(ProcessCommand command, IStepOutput output, TimeSpan killGrace, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        using var process = Start(command);
        process.StandardInput.Close(); // A step that reads stdin gets end-of-file instead of hanging.
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, command.StdoutAs, output),
            PumpAsync(process.StandardError.BaseStream, command.StderrAs, output));
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            await ProcessGroup.TerminateAsync(process.Id, killGrace);
            await process.WaitForExitAsync(CancellationToken.None);
            await DrainAsync(pumps);
            throw;
        }
        await ProcessGroup.TerminateAsync(process.Id, killGrace);
        await DrainAsync(pumps);
        return process.ExitCode;
    }

    private static Process Start(ProcessCommand command)
    {
        var start = new ProcessStartInfo("setsid")
        {
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment.Clear();
        foreach (var (key, value) in command.Environment)
            start.Environment[key] = value;
        // --wait matters only if setsid ever has to fork: then it still reports the program's exit code.
        start.ArgumentList.Add("--wait");
        start.ArgumentList.Add(command.Program);
        foreach (var argument in command.Arguments)
            start.ArgumentList.Add(argument);
        try
        {
            return Process.Start(start) ?? throw new InvalidOperationException($"cannot start {command.Program}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {command.Program} through setsid (util-linux): {e.Message}", e);
        }
    }

    private static async Task PumpAsync(Stream stream, LogStream logStream, IStepOutput output)
    {
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return; // The pipe went away with the process.
            }
            if (read == 0)
                return;
            // The log takes its own copy (masked, chunked), so the buffer can be reused.
            await output.WriteAsync(logStream, buffer.AsMemory(0, read), CancellationToken.None);
        }
    }

    private static async Task DrainAsync(Task pumps)
    {
        if (await Task.WhenAny(pumps, Task.Delay(OutputDrain)) == pumps)
            await pumps;
    }
}
