using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Reports.Tests;

/// <summary>
/// The host's data directory on a 30 MB tmpfs (needs root, as CI is), the host and a runner agent as their own
/// processes: a remote step's 40 MB artifact fills the disk while it is received.
/// </summary>
public sealed class RemoteArtifactDiskFullTests : IAsyncLifetime
{
    private const string Label = "pool=disk-full";
    private readonly TempDir _work = new("lazyaf-artifact-full");
    private Tmpfs _mount = null!;

    private string DataDir => Path.Combine(_mount.Path, "data");

    public async Task InitializeAsync() => _mount = await Tmpfs.MountAsync("30m");

    public async Task DisposeAsync()
    {
        await _mount.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_data_directory_that_fills_while_a_remote_artifact_arrives_fails_the_step_saying_so_keeps_no_part_and_the_host_serves_on()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        var runnerUrl = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, DataDir);
        await using var host = HostProcess.Start(["--urls", url, "--data-dir", DataDir, "--Runners:Url", runnerUrl, "--Storage:ReserveBytes=4194304"]);
        await host.WaitForAsync($"{url}/health");
        var repo = (await (await api.PostJsonAsync("/api/repos", new { name = "artifact-full" })).JsonAsync(HttpStatusCode.Created)).Str("id");
        var source = await TestGit.InitAsync(_work.Combine("source"));
        // The artifact is not committed (its push alone would fill the disk).
        await TestGit.CommitFileAsync(source, ".gitignore", "out/\n", "first");
        await TestGit.RunAsync(source, "push", "--quiet", $"{url}/git/{repo}.git", "main");
        var token = (await (await api.PostJsonAsync("/api/runners/tokens", new { description = "test", uses = 1 })).JsonAsync(HttpStatusCode.Created)).Str("token");
        await using var agent = AgentProcess.Start(["--server", runnerUrl, "--labels", Label, "--name", "filler", "--state-dir", _work.Combine("state"), "--token", token]);

        var card = (await (await api.PostJsonAsync($"/api/repos/{repo}/cards", new
        {
            title = "big artifact",
            step_type = "script",
            step_config = new { command = "mkdir -p out && head -c 41943040 /dev/urandom > out/big.bin", artifacts = new[] { "out/big.bin" } },
            requires = new[] { Label },
        })).JsonAsync(HttpStatusCode.Created)).Str("id");
        using var started = await api.PostAsync($"/api/cards/{card}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        var execution = started.Headers.Location!.ToString().Split('/')[^1];

        var ended = await Eventually.ValueAsync(() => GetAsync(api, $"/api/executions/{execution}"), e => e.Str("state") is "succeeded" or "failed" or "cancelled",
            TimeSpan.FromSeconds(120));
        Assert.Equal("failed", ended.Str("state"));
        Assert.StartsWith($"could not keep artifact 'out/big.bin': disk full: the data directory {DataDir} has no space left", ended.Str("error"), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.String, ended.GetProperty("runner").ValueKind);
        var log = string.Concat((await api.GetStringAsync($"/api/executions/{execution}/logs")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonDocument.Parse(line).RootElement.Str("text")));
        Assert.Contains("[LazyAF: artifacts: could not keep artifact 'out/big.bin': disk full", log, StringComparison.Ordinal);
        Assert.Empty((await GetAsync(api, $"/api/executions/{execution}/artifacts")).EnumerateArray());
        Assert.False(Directory.Exists(Path.Combine(DataDir, "runner-outputs", execution)));

        // The partial upload was dropped, so the space it took is back: reads go on, and writes are taken again.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/repos/{repo}")).StatusCode);
        await Eventually.HoldsAsync(async () =>
        {
            using var created = await api.PostJsonAsync("/api/repos", new { name = $"after-{Guid.NewGuid():N}" });
            return created.StatusCode == HttpStatusCode.Created;
        }, () => Task.FromResult(host.Log), TimeSpan.FromSeconds(30));
    }

    private static async Task<JsonElement> GetAsync(HttpClient api, string path) => await (await api.GetAsync(path)).JsonAsync(HttpStatusCode.OK);
}
