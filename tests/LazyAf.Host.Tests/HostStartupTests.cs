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

    [Theory]
    [InlineData("Workspaces:CleanupInterval", "abc", "'abc' is not a time span (such as 00:05:00)")]
    [InlineData("Workspaces:OrphanGrace", "-01:00:00", "'-01:00:00' must be 0 or more, at most 3650 days")]
    [InlineData("Workspaces:DiskBudgetBytes", "20GB", "'20GB' is not a whole number")]
    [InlineData("Workspaces:Root", "work/spaces", "'work/spaces' is not an absolute path")]
    [InlineData("Reports:FlakyWindow", "two weeks", "'two weeks' is not a time span (such as 00:05:00)")]
    [InlineData("Reports:FlakyFlips", "1", "'1' must be from 2 to 1000")]
    [InlineData("Reports:MaxArtifactBytes", "0", "'0' must be at least 1 (bytes)")]
    [InlineData("Reports:MaxRepoArtifactBytes", "10GB", "'10GB' is not a whole number")]
    [InlineData("Reports:ArtifactRetention", "00:00:00", "'00:00:00' must be at least a second, at most 3650 days")]
    [InlineData("Reports:ArtifactTotalBytes", "-1", "'-1' must be at least 1 (bytes)")]
    [InlineData("Reports:ArtifactCleanupInterval", "0", "'0' must be more than 0 and at most 365 days")]
    [InlineData("Execution:LocalConcurrency", "-1", "'-1' must be at least 1")]
    [InlineData("Execution:MaxLogBytes", "0", "'0' must be at least 1 (bytes)")]
    [InlineData("Execution:DockerEndpoint", "/var/run/docker.sock", "'/var/run/docker.sock' is not an absolute URI")]
    [InlineData("Execution:CommitAuthorName", "", "'' must not be empty")]
    [InlineData("Execution:Containment", "Jail", "'Jail' is not one of Auto, Cgroup, ProcessGroup")]
    [InlineData("Execution:RunAs", "no-such-user-here", "'no-such-user-here' is not a user of this machine")]
    [InlineData("Execution:Docker:Memory", "lots", "'lots' must be a size like 512m or 2g, at least 6m")]
    [InlineData("Execution:Docker:Memory", "1m", "'1m' must be a size like 512m or 2g, at least 6m")]
    [InlineData("Execution:Docker:Cpus", "0", "'0' must be 0.01 to {cores} (this machine's cores)")]
    [InlineData("Execution:Docker:Cpus", "two", "'two' is not a number")]
    [InlineData("Execution:Docker:PidsLimit", "0", "'0' must be 8 to 4194304 (processes)")]
    [InlineData("Execution:Docker:SidecarImage", "", "'' must not be empty")]
    [InlineData("Cards:StepTimeoutSeconds", "0", "'0' must be at least 1 (seconds)")]
    [InlineData("Pipelines:StepTimeoutSeconds", "1h", "'1h' is not a whole number")]
    [InlineData("Repos:CommitterEmail", "", "'' must not be empty")]
    [InlineData("LiveEvents:ReplayWindow", "0", "'0' must be at least 1")]
    [InlineData("Triggers:Webhooks:PerSecond", "many", "'many' is not a whole number")]
    [InlineData("Agents:ApprovalTimeoutSeconds", "0", "'0' must be more than 0 (seconds)")]
    [InlineData("Agents:MaxTurns", "0", "'0' must be 1 to 10000 (turns)")]
    [InlineData("Agents:MaxCostUsd", "-1", "'-1' must be 0.0001 to 1000000 (US dollars)")]
    [InlineData("Agents:LoopGuard", "1", "'1' must be 2 to 10000 (calls)")]
    [InlineData("Agents:Prices:opus:Output", "cheap", "'cheap' is not a number")]
    [InlineData("Agents:Codex:BaseUrl", "/v1", "'/v1' is not an absolute URI")]
    [InlineData("Playground:TimeoutSeconds", "100000", "'100000' must be 1 to 86400 (seconds)")]
    [InlineData("Mcp:MaxResultChars", "1000", "'1000' must be 2000 to 10000000 (characters)")]
    [InlineData("Mcp:MaxResultChars", "lots", "'lots' is not a whole number")]
    public async Task A_bad_setting_stops_the_host_at_start_up_with_one_line_naming_it(string key, string value, string problem)
    {
        await using var host = HostProcess.Start(["--urls", "http://127.0.0.1:0", "--data-dir", _data.Path, $"--{key}={value}"]);

        var (exitCode, stderr) = await host.ExitAsync();

        Assert.Equal(1, exitCode);
        problem = problem.Replace("{cores}", Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        Assert.Equal($"lazyaf: setting {key}: {problem}", Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [Fact]
    public async Task Each_bad_setting_gets_its_line()
    {
        await using var host = HostProcess.Start(["--urls", "http://127.0.0.1:0", "--data-dir", _data.Path,
            "--Execution:LocalConcurrency=0", "--Workspaces:CleanupInterval=soon"]);

        var (exitCode, stderr) = await host.ExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal(
            ["lazyaf: setting Execution:LocalConcurrency: '0' must be at least 1", "lazyaf: setting Workspaces:CleanupInterval: 'soon' is not a time span (such as 00:05:00)"],
            stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Good_settings_of_every_kind_start_the_host_and_are_used()
    {
        var port = HostProcess.FreePort();
        await using var host = HostProcess.Start(["--urls", $"http://127.0.0.1:{port}", "--data-dir", _data.Path,
            "--Workspaces:CleanupInterval=00:10:00", "--Execution:LocalConcurrency=3", "--Execution:Containment=ProcessGroup", "--Execution:DockerEndpoint=unix:///var/run/docker.sock",
            "--Agents:Codex:BaseUrl=http://127.0.0.1:9/v1", "--Agents:Prices:opus:Input=15", "--Agents:Models:command:0=house-model",
            "--Triggers:Webhooks:Burst=3", "--Execution:Docker:Memory=512m", "--Execution:Docker:Cpus=1", "--Execution:Docker:PidsLimit=256",
            "--Execution:Docker:PrivilegedRepos:0=infra", "--Mcp:MaxResultChars=20000"]);

        Assert.Equal("Healthy", await host.WaitForAsync($"http://127.0.0.1:{port}/health"));
        Assert.Contains("house-model", await host.WaitForAsync($"http://127.0.0.1:{port}/api/agents"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_mcp_endpoint_made_on_the_first_request_answers_the_first_requests_at_once()
    {
        var port = HostProcess.FreePort();
        await using var host = HostProcess.Start(["--urls", $"http://127.0.0.1:{port}", "--data-dir", _data.Path]);
        Assert.Equal("Healthy", await host.WaitForAsync($"http://127.0.0.1:{port}/health"));
        using var client = OwnerCredentials.Client($"http://127.0.0.1:{port}", _data.Path);

        // /mcp has not been called yet: two first requests race to have the SDK's endpoint made.
        var lists = await Task.WhenAll(Enumerable.Range(1, 2).Select(async id =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/mcp")
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { jsonrpc = "2.0", id, method = "tools/list", @params = new { } }),
            };
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await client.SendAsync(request);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using var stranger = await anonymous.PostAsync("/mcp", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.All(lists, list =>
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, list.StatusCode);
            Assert.Contains("\"name\":\"list_repos\"", list.Body, StringComparison.Ordinal);
        });
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, stranger.StatusCode);
    }

    [Fact]
    public async Task A_log_sink_the_host_ships_can_be_added_in_the_settings()
    {
        var port = HostProcess.FreePort();
        var logFile = Path.Combine(_data.Path, "host.log");
        await using var host = HostProcess.Start(["--urls", $"http://127.0.0.1:{port}", "--data-dir", Path.Combine(_data.Path, "data"),
            "--Serilog:WriteTo:0:Name=File", $"--Serilog:WriteTo:0:Args:path={logFile}", "--Serilog:WriteTo:0:Args:flushToDiskInterval=00:00:00.1"]);

        Assert.Equal("Healthy", await host.WaitForAsync($"http://127.0.0.1:{port}/health"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(File.Exists(logFile) && (await ReadSharedAsync(logFile)).Contains("Now listening on", StringComparison.Ordinal)) && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        Assert.Contains("Now listening on", await ReadSharedAsync(logFile), StringComparison.Ordinal);
    }

    // The sink keeps the file open for writing.
    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
