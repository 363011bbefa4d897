using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Serilog;

namespace LazyAf.Runner.Remote;

/// <summary>
/// Which <c>https://</c> host an agent trusts: the system's trust store, or only certificates that chain to
/// <c>--ca-cert</c> (a private CA or the host's self-signed certificate). The host's name is checked either way, and an
/// untrusted host is said in the log with the reason, since the agent only retries.
/// </summary>
internal static class HostTrust
{
    public static SslClientAuthenticationOptions ClientOptions(X509Certificate2Collection? authorities, ILogger log) => new()
    {
        RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
        {
            var reason = Untrusted(certificate as X509Certificate2, errors, authorities);
            if (reason is not null)
                log.Warning("The host's certificate is not trusted: {Reason}", reason);
            return reason is null;
        },
    };

    private static string? Untrusted(X509Certificate2? certificate, SslPolicyErrors errors, X509Certificate2Collection? authorities)
    {
        if (certificate is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return "it sent none";
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return $"it is not for this host name ({certificate.Subject})";
        if (authorities is null)
            return errors == SslPolicyErrors.None ? null : $"{errors} against the system's trust store; give the host's CA with --ca-cert FILE";
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate)
            ? null
            : $"it does not chain to a certificate of --ca-cert ({string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()))})";
    }
}
