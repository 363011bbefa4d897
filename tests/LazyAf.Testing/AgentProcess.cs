using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LazyAf.Testing;

/// <summary>
/// A runner agent as a user starts it: its own process. By default the native agent's build beside the tests
/// (<c>dotnet lazyaf-native-agent.dll</c>); <see cref="Start"/> with a program runs that instead (the AOT binary,
/// <see cref="JitBuild"/> of the Docker agent).
/// </summary>
public sealed class AgentProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly Task _pumps;

    private AgentProcess(Process process)
    {
        _process = process;
        _pumps = Task.WhenAll(PumpAsync(process.StandardOutput), PumpAsync(process.StandardError));
    }

    public int Id => _process.Id;

    public string Log
    {
        get
        {
            lock (_lines)
                return string.Join('\n', _lines);
        }
    }

    /// <summary>The command that runs the JIT build of agent <paramref name="assembly"/> (<c>lazyaf-runner</c>) built beside the tests.</summary>
    public static string[] JitBuild(string assembly) => ["dotnet", Path.Combine(AppContext.BaseDirectory, $"{assembly}.dll")];

    /// <summary>
    /// Starts the agent with <paramref name="args"/>; <paramref name="program"/> and its leading arguments default to the
    /// native agent's JIT build; <paramref name="environment"/> is added to the test's environment.
    /// </summary>
    public static AgentProcess Start(IEnumerable<string> args, string[]? program = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        program ??= JitBuild("lazyaf-native-agent");
        var start = new ProcessStartInfo(program[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in program.Skip(1).Concat(args))
            start.ArgumentList.Add(arg);
        start.Environment.Remove("LAZYAF_TOKEN");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        return new AgentProcess(Process.Start(start)!);
    }

    /// <summary>Waits for the first log line matching <paramref name="pattern"/>.</summary>
    public async Task<Match> WaitForLogAsync(Regex pattern, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            lock (_lines)
            {
                if (_lines.Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success) is { } match)
                    return match;
            }
            if (DateTime.UtcNow > deadline || _process.HasExited && _pumps.IsCompleted)
                throw new TimeoutException($"The agent never logged /{pattern}/ (exited: {_process.HasExited}):\n{Log}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the agent to exit by itself; returns its exit code.</summary>
    public async Task<int> ExitCodeAsync(TimeSpan? timeout = null)
    {
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The agent did not exit:\n{Log}");
        }
        await _pumps;
        return _process.ExitCode;
    }

    /// <summary><c>kill -9</c>: the agent gets no chance to say anything.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>SIGTERM: the agent drains.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await _pumps;
        _process.Dispose();
    }

    private async Task PumpAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_lines)
                _lines.Add(line);
        }
    }
}
