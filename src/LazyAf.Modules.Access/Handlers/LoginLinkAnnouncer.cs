using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Access.Features.Login;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Access.Handlers;

/// <summary>Once the host listens, prints the owner's one-time board login link, as Jupyter does: the owner never types a token.</summary>
internal sealed class LoginLinkAnnouncer(
    IServer server, IHostApplicationLifetime lifetime, LoginCodes codes, OwnerAccount owner, ILogger<LoginLinkAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(Announce);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Announce()
    {
        if (server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() is not { } address)
            return;
        var uri = new UriBuilder(address);
        if (uri.Host is "0.0.0.0" or "[::]" or "::" or "+" or "*")
            uri.Host = "127.0.0.1";
        var (code, expiresAt) = codes.Issue(owner.UserId, Scopes.All);
        logger.LogInformation("Board login (one-time link, until {ExpiresAt:HH:mm} UTC; 'lazyaf login' prints another): {LoginUrl}",
            expiresAt, $"{uri.Uri.GetLeftPart(UriPartial.Authority)}/login?code={code}");
    }
}
