using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>
/// Where the local executor reaches this host's own git server: the first address it listens on.
/// Pushes go through the git server, not the file system, so they are recorded like any push.
/// </summary>
internal sealed class HostGitAddress(IServer server, IHostApplicationLifetime lifetime)
{
    /// <summary>
    /// The clone URL, once the server listens: work that was pending when the host restarted starts before Kestrel
    /// has bound its port, when the address is still the configured one (port 0 in tests).
    /// </summary>
    public async Task<string> CloneUrlAsync(string clonePath, CancellationToken ct)
    {
        if (!lifetime.ApplicationStarted.IsCancellationRequested)
        {
            var started = new TaskCompletionSource();
            await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
                await started.Task.WaitAsync(ct);
        }
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The host is not listening yet.");
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
            uri.Host = "127.0.0.1";
        return uri.Uri.GetLeftPart(UriPartial.Authority) + clonePath;
    }
}
