using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CardsLoad;

/// <summary>
/// The LazyAF host being loaded: one given by <c>--server</c>, or a Release host this tool starts from
/// its output folder on a free loopback port with a fresh data dir (and stops again).
/// </summary>
internal sealed class HostUnderTest : IAsyncDisposable
{
    // The busy columns of /proc/stat's "cpu" line: user, nice, system, irq, softirq, steal.
    private static readonly int[] BusyFields = [1, 2, 3, 6, 7, 8];

    private readonly Process? _started;
    private readonly string? _dataDir;

    private HostUnderTest(Uri baseAddress, int? pid, Process? started, string? dataDir)
    {
        BaseAddress = baseAddress;
        Pid = pid;
        _started = started;
        _dataDir = dataDir;
    }

    public Uri BaseAddress { get; }

    /// <summary>The host's process, when known: its memory and CPU time are read from <c>/proc</c>.</summary>
    public int? Pid { get; }

    public static async Task<HostUnderTest> OpenAsync(Options options, HttpClient http)
    {
        if (options.Server is { } server)
            return new HostUnderTest(server, options.Pid, null, null);

        var dll = Path.Combine(options.HostDir, "LazyAf.Host.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"No host at {dll}; run `dotnet build -c Release src/LazyAf.Host` or pass --server.", dll);
        var port = FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), $"lazyaf-cards-load-{Environment.ProcessId}");
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = options.HostDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "LazyAf.Host.dll", "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"host: {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var host = new HostUnderTest(new Uri($"http://127.0.0.1:{port}/"), process.Id, process, dataDir);
        await host.WaitHealthyAsync(http);
        return host;
    }

    /// <summary>Peak and current resident set (<c>VmHWM</c>, <c>VmRSS</c>) in MiB; null when the pid is unknown.</summary>
    public (double PeakMiB, double NowMiB)? Memory()
    {
        if (Pid is not { } pid)
            return null;
        var lines = File.ReadAllLines($"/proc/{pid}/status");
        double Field(string name) => double.Parse(
            lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1],
            CultureInfo.InvariantCulture) / 1024;
        return (Field("VmHWM:"), Field("VmRSS:"));
    }

    /// <summary>The host's own CPU time so far (user + system, children excluded), in milliseconds.</summary>
    public double? CpuMilliseconds()
    {
        if (Pid is not { } pid)
            return null;
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0, so utime (14) and stime (15) are 11 and 12; ticks are 10 ms (USER_HZ 100).
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) * 10.0;
    }

    /// <summary>CPU time the whole machine has spent busy so far (all cores; user, system, irq, steal), in milliseconds.</summary>
    public static double MachineBusyMilliseconds()
    {
        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return BusyFields.Sum(i => long.Parse(cpu[i], CultureInfo.InvariantCulture)) * 10.0;
    }

    private async Task WaitHealthyAsync(HttpClient http)
    {
        for (var i = 0; i < 150; i++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "health"));
                if (response.IsSuccessStatusCode)
                    return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new InvalidOperationException($"the host at {BaseAddress} did not become healthy");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_started is null)
            return;
        _started.Kill();
        await _started.WaitForExitAsync();
        _started.Dispose();
        if (_dataDir is not null && Directory.Exists(_dataDir))
            Directory.Delete(_dataDir, recursive: true);
    }
}
