using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using LazyAf.Testing;

namespace LazyAf.NativeAgent.Tests;

/// <summary>
/// The runner endpoint over TLS with a certificate of a private CA, as a host on another machine serves it: the agent
/// trusts it only when given the CA with <c>--ca-cert</c>, and says why it does not otherwise.
/// </summary>
public sealed partial class TlsTests : IAsyncLifetime
{
    private readonly TempDir _work = new("lazyaf-tls-test");
    private readonly List<AgentProcess> _agents = [];
    private RunnerHost _host = null!;
    private string _caFile = null!;
    private string _gitOverTls = null!;

    public Task InitializeAsync()
    {
        using var ca = Authority("LazyAF test CA");
        using var server = Leaf(ca, "127.0.0.1");
        _caFile = Path.Combine(_work.Path, "ca.pem");
        File.WriteAllText(_caFile, ca.ExportCertificatePem());
        var pfx = Path.Combine(_work.Path, "host.pfx");
        File.WriteAllBytes(pfx, server.Export(X509ContentType.Pfx, "test"));
        // The tests' own git talks to the first (plain) address; runners clone from the second, over TLS.
        var gitOverTls = $"https://127.0.0.1:{RunnerHost.FreePort()}";
        _host = RunnerHost.Start(new Dictionary<string, string>
        {
            ["Kestrel:Certificates:Default:Path"] = pfx,
            ["Kestrel:Certificates:Default:Password"] = "test",
            ["urls"] = $"http://127.0.0.1:{RunnerHost.FreePort()};{gitOverTls}",
            ["Runners:GitUrl"] = gitOverTls,
        }, scheme: "https");
        _gitOverTls = gitOverTls;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents)
            await agent.DisposeAsync();
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task An_agent_given_the_hosts_CA_connects_and_clones_over_TLS_and_runs_a_step()
    {
        var repo = await SeededRepo.CreateAsync(_host.Host, _work, "tls");
        Start(await _host.RegistrationTokenAsync(), "pool=tls", "--ca-cert", _caFile);
        await _host.ConnectedRunnerAsync("pool=tls");

        var execution = await _host.StartScriptCardAsync(repo.Id, "echo over-tls > tls.txt", "pool=tls");
        var ended = await _host.ExecutionWhenAsync(execution, e => e.Str("state") is "succeeded" or "failed" or "cancelled");

        Assert.Equal("succeeded", ended.Str("state"));
        Assert.Equal(ended.Str("commit_sha"), await repo.RemoteShaAsync(ended.Str("branch")));
        var log = string.Concat((await _host.LogsAsync(execution)).Select(c => c.Text));
        Assert.Contains($"-- {_gitOverTls}/git/{repo.Id}.git", log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_CA_the_agent_does_not_trust_the_host_and_says_why()
    {
        var agent = Start(await _host.RegistrationTokenAsync(), "pool=untrusted");

        await agent.WaitForLogAsync(UntrustedLine());
        await agent.WaitForLogAsync(ConnectingAgainLine());
        Assert.Empty(await _host.RunnersAsync());
    }

    [Fact]
    public async Task A_ca_cert_that_is_not_a_certificate_is_a_usage_error()
    {
        var notPem = Path.Combine(_work.Path, "not.pem");
        await File.WriteAllTextAsync(notPem, "not a certificate\n");

        var agent = Start("unused", "pool=bad", "--ca-cert", notPem);

        Assert.Equal(1, await agent.ExitCodeAsync());
        Assert.Contains($"--ca-cert {notPem}: holds no PEM certificate", agent.Log, StringComparison.Ordinal);
    }

    private AgentProcess Start(string token, string labels, params string[] extra)
    {
        var agent = AgentProcess.Start(["--server", _host.RunnerUrl, "--token", token, "--labels", labels, "--name", labels,
            "--state-dir", Path.Combine(_work.Path, "state-" + labels.Replace('=', '-')), .. extra]);
        _agents.Add(agent);
        return agent;
    }

    private static X509Certificate2 Authority(string name)
    {
        // Not disposed: the certificate signs with it.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    private static X509Certificate2 Leaf(X509Certificate2 authority, string ip)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={ip}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Parse(ip));
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var issued = request.Create(authority, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(29), RandomNumberGenerator.GetBytes(8));
        return issued.CopyWithPrivateKey(key);
    }

    [GeneratedRegex("The host's certificate is not trusted: .*--ca-cert")]
    private static partial Regex UntrustedLine();

    [GeneratedRegex("Connecting again in")]
    private static partial Regex ConnectingAgainLine();
}
