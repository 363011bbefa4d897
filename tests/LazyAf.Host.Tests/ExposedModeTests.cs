using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LazyAf.Testing;

namespace LazyAf.Host.Tests;

/// <summary>
/// Exposed mode: other machines may connect only when the owner asks (<c>--expose</c>), only over TLS unless plain HTTP
/// is allowed for a trusted network, and every surface still needs a token. Requests go to 127.0.0.1 only.
/// </summary>
public sealed class ExposedModeTests : IDisposable
{
    private readonly TempDir _data = new("lazyaf-data");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task Expose_without_tls_refuses_to_start_with_one_line()
    {
        await using var host = HostProcess.Start(["--expose", "--urls", "http://0.0.0.0:0", "--data-dir", _data.Path]);

        var (exitCode, stderr) = await host.ExitAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lazyaf: refusing to serve http://0.0.0.0:0 to other machines without TLS", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exposed_over_plain_http_on_a_trusted_network_says_so_and_still_needs_a_token_everywhere()
    {
        var port = HostProcess.FreePort();
        await using var host = HostProcess.Start(["--expose", "--urls", $"http://0.0.0.0:{port}", "--data-dir", _data.Path, "--Security:AllowPlainHttp=true"]);
        var local = $"http://127.0.0.1:{port}";
        await host.WaitForAsync($"{local}/health");

        await host.WaitForLogAsync(new System.Text.RegularExpressions.Regex(
            $"^lazyaf: exposed on http://0.0.0.0:{port} over plain HTTP \\(Security:AllowPlainHttp\\); every request needs a token"));
        await AssertEverySurfaceNeedsATokenAsync(new HttpClient(), new HttpClient(OwnerCredentials.Handler(_data.Path)), local);
    }

    [Fact]
    public async Task Exposed_over_tls_serves_https_and_still_needs_a_token_everywhere()
    {
        var certificate = _data.Combine("host.pfx");
        string thumbprint;
        using (var key = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=lazyaf.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            thumbprint = made.Thumbprint;
            await File.WriteAllBytesAsync(certificate, made.Export(X509ContentType.Pfx, "pw"));
        }
        var port = HostProcess.FreePort();
        await using var host = HostProcess.Start(["--expose", "--urls", $"https://0.0.0.0:{port}", "--data-dir", _data.Path,
            $"--Kestrel:Certificates:Default:Path={certificate}", "--Kestrel:Certificates:Default:Password=pw"]);
        var local = $"https://127.0.0.1:{port}";
        // These clients trust exactly the test's own self-signed certificate.
        HttpMessageHandler Trusting() => new SocketsHttpHandler
        {
            SslOptions = { RemoteCertificateValidationCallback = (_, presented, _, _) => presented is X509Certificate2 cert && cert.Thumbprint == thumbprint },
        };
        using var health = new HttpClient(Trusting());
        await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await health.GetAsync($"{local}/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, () => Task.FromResult(host.Log), TimeSpan.FromSeconds(30));

        Assert.Contains($"lazyaf: exposed on https://0.0.0.0:{port}; every request needs a token", host.Log, StringComparison.Ordinal);
        var token = OwnerCredentials.TokenOf(_data.Path)!;
        var owner = new HttpClient(Trusting());
        owner.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        await AssertEverySurfaceNeedsATokenAsync(new HttpClient(Trusting()), owner, local);
    }

    private static async Task AssertEverySurfaceNeedsATokenAsync(HttpClient stranger, HttpClient owner, string baseUrl)
    {
        using (stranger)
        using (owner)
        {
            foreach (var path in new[] { "/api/repos", "/git/00000000000000000000000000000000.git/info/refs?service=git-upload-pack", "/ws", "/openapi/v1.json" })
                Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync(baseUrl + path)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync(baseUrl + "/api/repos")).StatusCode);
        }
    }
}
