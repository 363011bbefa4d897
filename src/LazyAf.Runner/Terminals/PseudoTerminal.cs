using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using LazyAf.Runner.Logs;
using Microsoft.Win32.SafeHandles;

namespace LazyAf.Runner.Terminals;

/// <summary>
/// An interactive bash on a real pseudo-terminal. The pair comes from <c>openpty(3)</c> (glibc, through
/// [LibraryImport]); the shell starts like every step process, from <see cref="Process"/>, and makes the terminal its
/// own through <c>setsid --ctty</c> with the slave as its stdin, so it has job control and <c>TIOCSWINSZ</c> on the
/// master resizes it (SIGWINCH). <c>script -qfc</c> would give a terminal too, but no way to resize it from here.
/// The shell leads its own process group; disposing kills that group. What it prints is read with the step's secrets
/// masked (<see cref="SecretMasker"/>: the start of a possible secret at the end of a read waits for the next output). The debug terminal of the in-process executor
/// and of both runner agents (Native AOT: nothing here reflects).
/// </summary>
public sealed partial class PseudoTerminal : IAsyncDisposable
{
    private const int FSetFd = 2;
    private const int FdCloexec = 1;
    private const ulong TiocSwinsz = 0x5414;
    private const int SigKill = 9;
    private static readonly TimeSpan ExitDrain = TimeSpan.FromMilliseconds(200);

    private readonly Process _shell;
    private readonly ProcessStartInfo? _stop;
    private Process? _stopping;
    private readonly SecretMasker _masker;
    private readonly ArrayBufferWriter<byte> _masked = new();
    private readonly byte[] _raw = new byte[16 * 1024];
    private int _maskedAt;
    private int _slaveOpen = 1;
    private int _disposed;
    private bool _ended;
    private readonly int _slave;
    private readonly FileStream _output;
    private readonly FileStream _input;
    private readonly int _master;
    private Func<ushort, ushort, CancellationToken, Task>? _resized;
    private Task _resizing = Task.CompletedTask;

    private PseudoTerminal(Process shell, int master, int slave, FileStream output, FileStream input, SecretRedactor secrets, ProcessStartInfo? stop)
    {
        _stop = stop;
        _masker = new SecretMasker(secrets);
        _shell = shell;
        _master = master;
        _slave = slave;
        _output = output;
        _input = input;
        _ = HangUpAfterExitAsync();
    }

    /// <summary>What is typed at the terminal.</summary>
    public Stream Input => _input;

    /// <summary>Ends with the shell's exit code.</summary>
    public Task<int> ExitedAsync(CancellationToken ct) => _shell.WaitForExitAsync(ct).ContinueWith(_ => _shell.ExitCode, ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    /// <summary>Starts <paramref name="shell"/> on a new pseudo-terminal of <paramref name="columns"/> × <paramref name="rows"/>.</summary>
    /// <exception cref="IOException">No pseudo-terminal, or the shell did not start.</exception>
    public static PseudoTerminal Start(DebugShell shell, ushort columns, ushort rows, SecretRedactor? secrets = null)
    {
        ArgumentNullException.ThrowIfNull(shell);
        var terminal = Start(shell.WorkingDirectory, shell.Environment, columns, rows, secrets, shell.Program, shell.Stop);
        terminal._resized = shell.Resized;
        return terminal;
    }

    /// <summary>Starts bash (or <paramref name="program"/>) on a new pseudo-terminal of <paramref name="columns"/> × <paramref name="rows"/> in <paramref name="workingDirectory"/>, with exactly <paramref name="environment"/> (and <c>TERM</c>).</summary>
    /// <exception cref="IOException">No pseudo-terminal, or the shell did not start.</exception>
    public static PseudoTerminal Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, ushort columns, ushort rows, SecretRedactor? secrets = null, IReadOnlyList<string>? program = null, IReadOnlyList<string>? stop = null)
    {
        var size = new WinSize { Rows = rows, Columns = columns };
        if (OpenPty(out var master, out var slave, IntPtr.Zero, IntPtr.Zero, ref size) != 0)
            throw new IOException($"openpty failed (errno {Marshal.GetLastPInvokeError()})");
        // Neither end leaks into the shell or anything else this host starts; the shell opens the slave by name.
        _ = Fcntl(master, FSetFd, FdCloexec);
        _ = Fcntl(slave, FSetFd, FdCloexec);
        var start = new ProcessStartInfo("/bin/sh")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-c", "exec setsid --ctty \"$@\" <\"$0\" >\"$0\" 2>&1", SlaveName(slave), .. program ?? ["bash", "--norc", "-i"]])
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.Environment["TERM"] = "xterm-256color";
        var input = Dup(master);
        _ = Fcntl(input, FSetFd, FdCloexec);
        Process shell;
        try
        {
            shell = Process.Start(start) ?? throw new IOException("the shell did not start");
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException)
        {
            _ = Close(input);
            _ = Close(slave);
            _ = Close(master);
            throw new IOException($"the shell did not start in {workingDirectory}: {e.Message}", e);
        }
        shell.StandardInput.Close();
        return new PseudoTerminal(shell, master, slave,
            new FileStream(new SafeFileHandle(master, ownsHandle: true), FileAccess.Read, bufferSize: 0),
            new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Write, bufferSize: 0), secrets ?? SecretRedactor.None, StopOf(stop, start));
    }

    private static ProcessStartInfo? StopOf(IReadOnlyList<string>? stop, ProcessStartInfo shell)
    {
        if (stop is not { Count: > 0 })
            return null;
        var start = new ProcessStartInfo(stop[0]) { WorkingDirectory = shell.WorkingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in stop.Skip(1))
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in shell.Environment)
            start.Environment[name] = value;
        return start;
    }

    /// <summary>Reads what the shell wrote to its terminal, secrets masked, into <paramref name="buffer"/>; 0 once the terminal is gone and all was read.</summary>
    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (true)
        {
            if (_maskedAt < _masked.WrittenCount)
            {
                var count = Math.Min(buffer.Length, _masked.WrittenCount - _maskedAt);
                _masked.WrittenSpan.Slice(_maskedAt, count).CopyTo(buffer.Span);
                _maskedAt += count;
                if (_maskedAt == _masked.WrittenCount)
                {
                    _masked.ResetWrittenCount();
                    _maskedAt = 0;
                }
                return count;
            }
            if (_ended)
                return 0;
            int read;
            try
            {
                read = await _output.ReadAsync(_raw, ct);
            }
            catch (IOException)
            {
                // EIO: the shell and everything on its terminal are gone.
                read = 0;
            }
            if (read == 0)
            {
                _ended = true;
                _masker.Complete(_masked);
                continue;
            }
            _masker.Write(_raw.AsSpan(0, read), _masked);
        }
    }

    /// <summary>
    /// Tells the shell its window is now <paramref name="columns"/> × <paramref name="rows"/> (SIGWINCH), and then its
    /// <see cref="DebugShell.Resized"/>, one resize after the other in the order they came.
    /// </summary>
    public void Resize(ushort columns, ushort rows)
    {
        var size = new WinSize { Rows = rows, Columns = columns };
        _ = Ioctl(_master, TiocSwinsz, ref size);
        if (_resized is { } resized)
            _resizing = ResizeAfterAsync(_resizing, resized, columns, rows);
    }

    private static async Task ResizeAfterAsync(Task previous, Func<ushort, ushort, CancellationToken, Task> resized, ushort columns, ushort rows)
    {
        await previous;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await resized(columns, rows, timeout.Token);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Best effort: the window keeps its old size (or the SIGWINCH got there), the shell works on.
        }
    }

    /// <summary>Kills the shell's process group (and starts its stop program, once); what it printed last can still be read, then reads end.</summary>
    public void Kill()
    {
        if (_shell.HasExited)
            return;
        _ = Kill(-_shell.Id, SigKill);
        if (_stop is null || _stopping is not null)
            return;
        try
        {
            _stopping = Process.Start(_stop);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // Nothing to stop it with; what it started ends by itself.
        }
    }

    /// <summary>Kills the shell's process group and closes the terminal (once).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        Kill();
        await _shell.WaitForExitAsync();
        if (_stopping is { } stopping)
        {
            await stopping.WaitForExitAsync();
            stopping.Dispose();
        }
        HangUp();
        await _input.DisposeAsync();
        await _output.DisposeAsync();
        _shell.Dispose();
    }

    // Once the shell has exited and its last output had a moment to arrive, this side's slave closes: with no slave
    // open (what the shell started in the background aside), a read still waiting on the master ends (EIO).
    private async Task HangUpAfterExitAsync()
    {
        await _shell.WaitForExitAsync();
        await Task.Delay(ExitDrain);
        HangUp();
    }

    private void HangUp()
    {
        if (Interlocked.Exchange(ref _slaveOpen, 0) == 1)
            _ = Close(_slave);
    }

    private static unsafe string SlaveName(int slave)
    {
        var buffer = stackalloc byte[256];
        if (TtyName(slave, buffer, 256) != 0)
            throw new IOException($"ttyname_r failed (errno {Marshal.GetLastPInvokeError()})");
        return Encoding.UTF8.GetString(MemoryMarshal.CreateReadOnlySpanFromNullTerminated(buffer));
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct WinSize
    {
        public ushort Rows;
        public ushort Columns;
        public ushort XPixels;
        public ushort YPixels;
    }

    [LibraryImport("libc", EntryPoint = "openpty", SetLastError = true)]
    private static partial int OpenPty(out int master, out int slave, IntPtr name, IntPtr termios, ref WinSize size);

    [LibraryImport("libc", EntryPoint = "ttyname_r", SetLastError = true)]
    private static unsafe partial int TtyName(int fd, byte* buffer, nuint length);

    [LibraryImport("libc", EntryPoint = "ioctl", SetLastError = true)]
    private static partial int Ioctl(int fd, ulong request, ref WinSize size);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int command, int argument);

    [LibraryImport("libc", EntryPoint = "dup", SetLastError = true)]
    private static partial int Dup(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
