using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace LazyAf.Modules.Debug.Domain;

/// <summary>
/// An interactive bash on a real pseudo-terminal. The pair comes from <c>openpty(3)</c> (glibc, through
/// [LibraryImport]); the shell starts like every step process, from <see cref="Process"/>, and makes the terminal its
/// own through <c>setsid --ctty</c> with the slave as its stdin, so it has job control and <c>TIOCSWINSZ</c> on the
/// master resizes it (SIGWINCH). <c>script -qfc</c> would give a terminal too, but no way to resize it from here.
/// The shell leads its own process group; disposing kills that group.
/// </summary>
internal sealed partial class PseudoTerminal : IAsyncDisposable
{
    private const int FSetFd = 2;
    private const int FdCloexec = 1;
    private const ulong TiocSwinsz = 0x5414;
    private const int SigKill = 9;

    private readonly Process _shell;
    private readonly int _slave;
    private readonly FileStream _output;
    private readonly FileStream _input;
    private readonly int _master;

    private PseudoTerminal(Process shell, int master, int slave, FileStream output, FileStream input)
    {
        _shell = shell;
        _master = master;
        _slave = slave;
        _output = output;
        _input = input;
    }

    /// <summary>What the shell writes to its terminal.</summary>
    public Stream Output => _output;

    /// <summary>What is typed at the terminal.</summary>
    public Stream Input => _input;

    /// <summary>Ends with the shell's exit code.</summary>
    public Task<int> ExitedAsync(CancellationToken ct) => _shell.WaitForExitAsync(ct).ContinueWith(_ => _shell.ExitCode, ct, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    public static PseudoTerminal Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, ushort columns, ushort rows)
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
        foreach (var argument in (string[])["-c", "exec setsid --ctty bash -i <\"$0\" >\"$0\" 2>&1", SlaveName(slave)])
            start.ArgumentList.Add(argument);
        start.Environment.Clear();
        foreach (var (name, value) in environment)
            start.Environment[name] = value;
        start.Environment["TERM"] = "xterm-256color";
        var input = Dup(master);
        _ = Fcntl(input, FSetFd, FdCloexec);
        var shell = Process.Start(start) ?? throw new IOException("the shell did not start");
        shell.StandardInput.Close();
        return new PseudoTerminal(shell, master, slave,
            new FileStream(new SafeFileHandle(master, ownsHandle: true), FileAccess.Read, bufferSize: 0),
            new FileStream(new SafeFileHandle(input, ownsHandle: true), FileAccess.Write, bufferSize: 0));
    }

    public void Resize(ushort columns, ushort rows)
    {
        var size = new WinSize { Rows = rows, Columns = columns };
        _ = Ioctl(_master, TiocSwinsz, ref size);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_shell.HasExited)
            _ = Kill(-_shell.Id, SigKill);
        await _shell.WaitForExitAsync();
        // With the last slave closed, a read still waiting on the master ends (EIO).
        _ = Close(_slave);
        await _input.DisposeAsync();
        await _output.DisposeAsync();
        _shell.Dispose();
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
