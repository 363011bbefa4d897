using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace LazyAf.Testing;

/// <summary>The host as a user starts it: its own process, configured by arguments and environment.</summary>
public sealed class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly Task<string> _stdout;
    private bool _disposed;

    private readonly List<string> _lines = [];

    /// <summary>The host's log so far (its standard output).</summary>
    public string Log
    {
        get
        {
            lock (_lines)
                return string.Join('\n', _lines);
        }
    }

    private readonly List<string> _urls;

    private HostProcess(Process process, string? dataDir, List<string> urls)
    {
        _process = process;
        DataDir = dataDir;
        _urls = urls;
        // The tests' git sends this host its owner's token once the host has made it.
        foreach (var url in urls)
            TestGit.Authorize(url, () => dataDir is null ? null : OwnerCredentials.TokenOf(dataDir));
        _stderr = process.StandardError.ReadToEndAsync();
        _stdout = PumpAsync(process.StandardOutput);
    }

    /// <summary>The host's process id.</summary>
    public int Id => _process.Id;

    /// <summary>The data directory the host was told to use (argument, else environment, else <c>$HOME/.lazyaf</c> when HOME is given).</summary>
    public string? DataDir { get; }

    public static HostProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var argList = args.ToList();
        string? Argument(string name) => argList.IndexOf(name) is var i and >= 0 && i + 1 < argList.Count ? argList[i + 1] : null;
        var dataDir = Argument("--data-dir")
            ?? environment?.GetValueOrDefault("LAZYAF_DATA_DIR")
            ?? (environment?.GetValueOrDefault("HOME") is { } home ? Path.Combine(home, ".lazyaf") : null);
        var urls = (Argument("--urls") ?? environment?.GetValueOrDefault("LAZYAF_URLS") ?? "")
            .Split(';', StringSplitOptions.RemoveEmptyEntries).ToList();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "LazyAf.Host.dll"));
        foreach (var arg in argList)
            start.ArgumentList.Add(arg);
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment.Remove("LAZYAF_URLS");
        start.Environment.Remove("LAZYAF_DATA_DIR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        return new HostProcess(Process.Start(start)!, dataDir, urls);
    }

    /// <summary>The first line of the host's log that matches <paramref name="pattern"/>, waiting for it to be written.</summary>
    public async Task<Match> WaitForLogAsync(Regex pattern)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            lock (_lines)
            {
                if (_lines.Select(line => pattern.Match(line)).FirstOrDefault(m => m.Success) is { } match)
                    return match;
            }
            if (_stdout.IsCompleted || DateTime.UtcNow > deadline)
                throw new TimeoutException($"The host never logged {pattern}. Its log: {Log}");
            await Task.Delay(50);
        }
    }

    private async Task<string> PumpAsync(StreamReader output)
    {
        while (await output.ReadLineAsync() is { } line)
        {
            lock (_lines)
                _lines.Add(line);
        }
        return Log;
    }

    /// <summary>Ends the host the way a crash does: SIGKILL, no shutdown, children left as they are.</summary>
    public async Task CrashAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    /// <summary>Asks the host to stop as a service manager does (SIGTERM); returns its exit code, stderr and how long it took.</summary>
    public async Task<(int ExitCode, string Stderr, TimeSpan Took)> TerminateAsync(TimeSpan? patience = null)
    {
        var took = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(60));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _stderr, took.Elapsed);
    }

        public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits for the process to exit by itself; returns its exit code and stderr.</summary>
    public async Task<(int ExitCode, string Stderr)> ExitAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(timeout.Token);
        return (_process.ExitCode, await _stderr);
    }

    /// <summary>Polls until <paramref name="url"/> answers 200 (with the owner's token, once the host has made it).</summary>
    public async Task<string> WaitForAsync(string url)
    {
        using var client = DataDir is null ? new HttpClient() : new HttpClient(OwnerCredentials.Handler(DataDir));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The host exited with {_process.ExitCode}: {await _stderr}");
            try
            {
                using var response = await client.GetAsync(url);
                if (response.IsSuccessStatusCode)
                    return await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{url} did not answer");
            await Task.Delay(100);
        }
    }

    // A test may dispose early to read the log of a host that misbehaved, then again at the end of its scope.
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var url in _urls)
            TestGit.Forget(url);
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
