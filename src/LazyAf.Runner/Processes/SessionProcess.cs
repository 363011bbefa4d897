using System.ComponentModel;
using System.Diagnostics;

namespace LazyAf.Runner.Processes;

/// <summary>
/// Runs a program in a session of its own, started through <c>setsid</c>: our child is never a group
/// leader, so setsid execs in place and the program's pid is its process group id. Cancelling kills
/// that whole group (SIGTERM, a grace period, SIGKILL), so nothing the program started survives it. Inside a
/// <see cref="StepCell"/> (a step's run) the program starts in the cell and stopping it stops the whole cell, also what
/// left the group.
/// </summary>
public static class SessionProcess
{
    // Something that left the group (its own setsid, a daemon) may hold our pipes open; we stop reading after this.
    private static readonly TimeSpan OutputDrain = TimeSpan.FromSeconds(2);

    // setsid makes its group a millisecond or so after it starts, longer on a loaded machine; a short poll keeps a cancel prompt.
    private static readonly TimeSpan GroupForming = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Runs <paramref name="command"/> to its end, streaming its output to <paramref name="output"/>, and returns its exit code.
    /// On cancellation the process group is killed and <see cref="OperationCanceledException"/> is thrown.
    /// Processes the program leaves running in the background are killed when it exits.
    /// </summary>
    public static Task<int> RunAsync(ProcessCommand command, IStepOutput output, TimeSpan killGrace, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(output);
        var io = new ProcessIo(
            stdout => PumpAsync(stdout, command.StdoutAs, output),
            stderr => PumpAsync(stderr, command.StderrAs, output),
            stdin =>
            {
                stdin.Close(); // A step that reads stdin gets end-of-file instead of hanging.
                return Task.CompletedTask;
            });
        return RunAsync(command, io, killGrace, ct);
    }

    /// <summary>
    /// Runs <paramref name="command"/> with its standard streams handed to <paramref name="io"/> (a program that
    /// talks on stdin and stdout, such as an agent CLI), and returns its exit code. Cancellation kills the group
    /// as in the other overload.
    /// </summary>
    public static async Task<int> RunAsync(ProcessCommand command, ProcessIo io, TimeSpan killGrace, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(io);
        var cell = StepCell.Current;
        using var process = await StartAsync(command, cell);
        var input = io.Stdin(process.StandardInput);
        var pumps = Task.WhenAll(io.Stdout(process.StandardOutput.BaseStream), io.Stderr(process.StandardError.BaseStream));
        try
        {
            await process.WaitForExitAsync(ct);
        }
        catch (OperationCanceledException)
        {
            // Process.Start returns once setsid is exec'd, not once it has made the group: a cancel that early (a run
            // cancelled as its step starts) would signal a group that does not exist yet, and the program would run
            // to its end. setsid makes it, or fails and exits, within moments.
            while (!process.HasExited && !ProcessGroup.LeadsItsGroup(process.Id))
                await Task.Delay(GroupForming, CancellationToken.None);
            await TerminateAsync(process.Id, cell, killGrace);
            await process.WaitForExitAsync(CancellationToken.None);
            await DrainAsync(pumps, input);
            throw;
        }
        await TerminateAsync(process.Id, cell, killGrace);
        await DrainAsync(pumps, input);
        return process.ExitCode;
    }

    private static Task TerminateAsync(int pgid, StepCell? cell, TimeSpan killGrace) =>
        cell is null ? ProcessGroup.TerminateAsync(pgid, killGrace) : cell.TerminateAsync(pgid, killGrace);

    private static async Task<Process> StartAsync(ProcessCommand command, StepCell? cell)
    {
        if (cell is null)
            return Start(command);
        try
        {
            return await ForkingThread.StartAsync(cell.StartInfo(command));
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException($"cannot start {command.Program} in {cell} (needs sh, setpriv and setsid of util-linux): {e.Message}", e);
        }
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

    /// <summary>Copies a stream to the step output until it ends.</summary>
    public static async Task PumpAsync(Stream stream, LogStream logStream, IStepOutput output)
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

    private static async Task DrainAsync(Task pumps, Task input)
    {
        if (await Task.WhenAny(pumps, Task.Delay(OutputDrain)) == pumps)
            await pumps;
        // Writing to a program that has exited fails; that is its end, not an error of the run.
        try
        {
            await input.WaitAsync(OutputDrain);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or TimeoutException or OperationCanceledException)
        {
        }
    }
}
