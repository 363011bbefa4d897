using LazyAf.Testing;

namespace LazyAf.Host.Tests;

public sealed class HostStartupTests : IDisposable
{
    private readonly TempDir _data = new("lazyaf-data");

    public void Dispose() => _data.Dispose();

    [Theory]
    [InlineData("--urls", "http://0.0.0.0:0")]
    [InlineData("--urls", "http://*:0")]
    [InlineData("--urls", "http://+:0")]
    [InlineData("--urls", "http://127.0.0.1:0;http://192.168.1.10:0")]
    [InlineData("--urls", "http://example.test:0")]
    public async Task Refuses_to_bind_a_non_loopback_address_unless_exposed_with_one_line(string option, string urls)
    {
        await using var host = HostProcess.Start([option, urls, "--data-dir", _data.Path]);

        var (exitCode, stderr) = await host.ExitAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("lazyaf: refusing to listen on", line, StringComparison.Ordinal);
        Assert.Contains("start with --expose", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_LAZYAF_URLS_environment_variable_is_checked_too()
    {
        await using var host = HostProcess.Start(["--data-dir", _data.Path], new Dictionary<string, string> { ["LAZYAF_URLS"] = "http://0.0.0.0:0" });
        var (exitCode, stderr) = await host.ExitAsync();
        Assert.Equal(1, exitCode);
        Assert.Contains("http://0.0.0.0:0", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starts_on_the_configured_loopback_address_and_data_dir_with_health_and_openapi()
    {
        var port = HostProcess.FreePort();
        var fromEnvironment = Path.Combine(_data.Path, "from-env");
        var fromCommandLine = Path.Combine(_data.Path, "from-args");
        await using var host = HostProcess.Start(["--data-dir", fromCommandLine],
            new Dictionary<string, string> { ["LAZYAF_URLS"] = $"http://127.0.0.1:{port}", ["LAZYAF_DATA_DIR"] = fromEnvironment });

        Assert.Equal("Healthy", await host.WaitForAsync($"http://127.0.0.1:{port}/health"));
        Assert.Equal("Healthy", await host.WaitForAsync($"http://127.0.0.1:{port}/alive"));
        Assert.Contains("\"CreateRepo\"", await host.WaitForAsync($"http://127.0.0.1:{port}/openapi/v1.json"), StringComparison.Ordinal);
        // The command line wins over the environment.
        Assert.True(File.Exists(Path.Combine(fromCommandLine, "lazyaf.db")));
        Assert.False(Directory.Exists(fromEnvironment));
    }
}
