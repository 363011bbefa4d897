using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Kernel.Storage;

/// <summary>
/// Whether the data directory's disk has room. It is full once a write fails for lack of space (reported through
/// <see cref="ReportFull"/>) or free space drops below <see cref="StorageOptions.MinFreeBytes"/>; then the reserve is
/// given up, so the host can still record how the work in flight ended, and writes are refused (507) while reads go
/// on. It is looked at again every <see cref="StorageOptions.CheckInterval"/> and is healthy again, with its reserve
/// made anew, as soon as there is room for the reserve and the minimum, without a restart.
/// </summary>
public sealed class DataDirectorySpace : BackgroundService
{
    private const string ReserveFile = "space-reserve";
    private readonly LazyAfOptions _data;
    private readonly StorageOptions _options;
    private readonly ILogger<DataDirectorySpace> _logger;
    private readonly object _gate = new();
    private volatile bool _full;

    /// <summary>Made by the container.</summary>
    public DataDirectorySpace(LazyAfOptions data, IOptions<StorageOptions> options, ILogger<DataDirectorySpace> logger)
    {
        _data = data;
        _options = options.Value;
        _logger = logger;
    }

    /// <summary>The directory whose disk this is.</summary>
    public string DataDir => _data.DataDir;

    /// <summary>True while the disk is full: writes are refused until space returns.</summary>
    public bool IsFull => _full;

    /// <summary>What a refused write or a failed step is told.</summary>
    public string Explanation => $"disk full: the data directory {DataDir} has no space left; LazyAF takes no new writes until space is freed there";

    /// <summary>True when <paramref name="exception"/> (or one inside it) is a write that failed for lack of space.</summary>
    public static bool IsDiskFull(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            // SQLITE_FULL; ENOSPC (28) as .NET reports it on Unix, and its text for tools that only pass the message on.
            if (e is SqliteException { SqliteErrorCode: 13 }
                || e is IOException { HResult: 28 or 0x70 or unchecked((int)0x80070070) }
                || e.Message.Contains("No space left on device", StringComparison.Ordinal)
                || e.Message.Contains("database or disk is full", StringComparison.Ordinal))
                return true;
            if (e is AggregateException several && several.InnerExceptions.Any(IsDiskFull))
                return true;
        }
        return false;
    }

    /// <summary>Reports that a write failed for lack of space: the disk is full from now until space returns.</summary>
    public void ReportFull(Exception? cause = null)
    {
        lock (_gate)
        {
            if (_full)
                return;
            _full = true;
            // Given up first: the room it leaves is what recording the failures needs.
            TryDelete(ReservePath);
            _logger.LogError("The data directory {DataDir} is full ({FreeBytes} bytes free after giving up the reserve): writes answer 507 until space returns. {Cause}",
                DataDir, FreeBytes(), cause?.Message);
        }
    }

    /// <summary>Checks the disk now (as the periodic check does): full when too little is free, healthy again when there is room.</summary>
    public void Check()
    {
        var free = FreeBytes();
        lock (_gate)
        {
            if (!_full)
            {
                if (free < _options.MinFreeBytes)
                    ReportFull(new IOException($"only {free} bytes free"));
                else
                    EnsureReserve();
                return;
            }
            // Room for the reserve and the minimum besides, so being healthy does not at once fill it again.
            if (free - ReserveMissing() < _options.MinFreeBytes)
                return;
            if (!EnsureReserve())
                return;
            _full = false;
            _logger.LogWarning("The data directory {DataDir} has room again ({FreeBytes} bytes free): writes are taken again", DataDir, FreeBytes());
        }
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.CheckInterval);
        do
        {
            try
            {
                Check();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                _logger.LogWarning(ex, "Could not look at the free space of {DataDir}", DataDir);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try
        {
            return await timer.WaitForNextTickAsync(ct);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private string ReservePath => Path.Combine(DataDir, ReserveFile);

    private long FreeBytes()
    {
        Directory.CreateDirectory(DataDir);
        return new DriveInfo(DataDir).AvailableFreeSpace;
    }

    private long ReserveMissing() =>
        _options.ReserveBytes - (File.Exists(ReservePath) ? new FileInfo(ReservePath).Length : 0);

    // Allocated for real (fallocate), not a sparse file: its blocks are what giving it up frees.
    private bool EnsureReserve()
    {
        if (_options.ReserveBytes == 0 || ReserveMissing() <= 0)
            return true;
        try
        {
            using var file = new FileStream(ReservePath, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                PreallocationSize = _options.ReserveBytes,
            });
            file.SetLength(_options.ReserveBytes);
            return true;
        }
        catch (IOException ex)
        {
            TryDelete(ReservePath);
            _logger.LogWarning("Could not set {ReserveBytes} bytes aside in {DataDir}: {Reason}", _options.ReserveBytes, DataDir, ex.Message);
            return false;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
