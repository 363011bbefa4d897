using Microsoft.Extensions.Hosting;

namespace LazyAf.Kernel;

/// <summary>
/// One host per data directory: an exclusive lock on <c>host.lock</c> in it, held while the host runs and released by
/// the kernel however the host ends (even <c>kill -9</c>). A second host on the same directory would dispatch the same
/// steps and mark the first one's running executions failed; it refuses to start instead, naming the holder.
/// </summary>
public sealed class DataDirectoryLock(LazyAfOptions options) : IHostedLifecycleService, IDisposable
{
    private readonly Lock _gate = new();
    private FileStream? _held;

    /// <summary>Takes the lock unless this host holds it already.</summary>
    /// <exception cref="DataDirectoryInUseException">Another process holds it.</exception>
    public void Acquire()
    {
        lock (_gate)
        {
            if (_held is not null)
                return;
            Directory.CreateDirectory(options.DataDir);
            var lockFile = Path.Combine(options.DataDir, "host.lock");
            var pidFile = Path.Combine(options.DataDir, "host.pid");
            try
            {
                // On Unix, FileShare.None is an flock(LOCK_EX | LOCK_NB) on the open file: exclusive across processes.
                _held = new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                var holder = File.Exists(pidFile) ? File.ReadAllText(pidFile).Trim() : "";
                throw new DataDirectoryInUseException(options.DataDir, holder.Length > 0 ? holder : null);
            }
            File.WriteAllText(pidFile, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        Acquire();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate)
        {
            _held?.Dispose();
            _held = null;
        }
    }
}

/// <summary>Another process holds the data directory's lock.</summary>
public sealed class DataDirectoryInUseException(string dataDir, string? holderPid)
    : Exception($"the data directory {dataDir} is in use by another LazyAF host{(holderPid is null ? "" : $" (process {holderPid})")}; stop it, or start this one with another --data-dir");
