using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LazyAf.Modules.Execution.Running;

/// <summary>
/// Where the local executor reaches this host's own git server: the first address it listens on.
/// Pushes go through the git server, not the file system, so they are recorded like any push.
/// </summary>
internal sealed class HostGitAddress(IServer server)
{
    public string CloneUrl(string clonePath)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The host is not listening yet.");
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
            uri.Host = "127.0.0.1";
        return uri.Uri.GetLeftPart(UriPartial.Authority) + clonePath;
    }
}
