using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// The whole data directory on a 30 MB tmpfs (needs root, as CI is) and the host as its own process: a step printing
/// 60 MB fills the disk with its log.
/// </summary>
public sealed class FullDataDirectoryTests : IAsyncLifetime
{
    private const string Noisy = "yes 0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz | head -c 62914560";
    private readonly TempDir _work = new();
    private Tmpfs _mount = null!;
    private string DataDir => Path.Combine(_mount.Path, "data");

    public async Task InitializeAsync() => _mount = await Tmpfs.MountAsync("30m");

    public async Task DisposeAsync()
    {
        await _mount.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_full_disk_fails_the_step_with_disk_full_frees_its_slot_refuses_writes_with_507_keeps_reads_recovers_and_stops_in_seconds()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, DataDir);
        // A reserve of 12 MiB: what is given up must outlast a checkpoint of SQLite's write-ahead log (1,000 pages, ~4 MiB,
        // more while a reader holds it), which grows the database file by the output committed last.
        await using var host = HostProcess.Start(["--urls", url, "--data-dir", DataDir, "--Execution:LocalConcurrency=1", "--Storage:ReserveBytes=12582912"]);
        await host.WaitForAsync($"{url}/health");
        var repo = (await (await api.PostJsonAsync("/api/repos", new { name = "full-disk" })).JsonAsync(HttpStatusCode.Created)).Str("id");
        var source = await TestGit.InitAsync(_work.Combine("source"));
        await TestGit.CommitFileAsync(source, "README.md", "hello\n", "first");
        await TestGit.RunAsync(source, "push", "--quiet", $"{url}/git/{repo}.git", "main");

        var noisy = await CardAsync(api, repo, Noisy);
        await (await api.PostAsync($"/api/cards/{noisy}/start", null)).JsonAsync(HttpStatusCode.Accepted);

        var failed = await Eventually.ValueAsync(() => GetAsync(api, $"/api/cards/{noisy}"), c => c.Str("status") != "in_progress", TimeSpan.FromSeconds(90));
        Assert.Equal("failed", failed.Str("status"));
        var execution = await GetAsync(api, $"/api/executions/{failed.GetProperty("attempts")[0].Str("execution_id")}");
        Assert.Equal("failed", execution.Str("state"));
        Assert.StartsWith($"disk full: the data directory {DataDir} has no space left", execution.Str("error"), StringComparison.Ordinal);
        Assert.Contains("[LazyAF: disk full: the data directory", await LastLogLinesAsync(api, execution.Str("id")), StringComparison.Ordinal);

        // Writes are refused, naming the directory; reads go on.
        using (var refused = await api.PostJsonAsync("/api/repos", new { name = "while-full" }))
        {
            var problem = await refused.ProblemAsync(HttpStatusCode.InsufficientStorage);
            Assert.Equal(DataDir, problem.Str("data_dir"));
            Assert.Contains(DataDir, problem.Str("detail"), StringComparison.Ordinal);
        }
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/repos/{repo}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/cards/{noisy}")).StatusCode);

        // Space returns (the disk is made larger): the host takes writes again by itself, and its one slot runs the next step.
        await _mount.ResizeAsync("200m");
        await Eventually.HoldsAsync(async () =>
        {
            using var created = await api.PostJsonAsync("/api/repos", new { name = $"after-{Guid.NewGuid():N}" });
            return created.StatusCode == HttpStatusCode.Created;
        }, () => Task.FromResult(host.Log), TimeSpan.FromSeconds(30));
        var quiet = await CardAsync(api, repo, "echo fine > fine.txt");
        await (await api.PostAsync($"/api/cards/{quiet}/start", null)).JsonAsync(HttpStatusCode.Accepted);
        var settled = await Eventually.ValueAsync(() => GetAsync(api, $"/api/cards/{quiet}"), c => c.Str("status") != "in_progress", TimeSpan.FromSeconds(60));
        Assert.Equal("in_review", settled.Str("status"));

        var (exitCode, stderr, took) = await host.TerminateAsync();
        Assert.True(took < TimeSpan.FromSeconds(10), $"SIGTERM took {took}");
        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    private static async Task<string> CardAsync(HttpClient api, string repo, string command) =>
        (await (await api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "print", step_type = "script", step_config = new { command } }))
            .JsonAsync(HttpStatusCode.Created)).Str("id");

    private static async Task<JsonElement> GetAsync(HttpClient api, string path) => await (await api.GetAsync(path)).JsonAsync(HttpStatusCode.OK);

    /// <summary>The text of the execution's last few log lines (its stored log is many megabytes).</summary>
    private static async Task<string> LastLogLinesAsync(HttpClient api, string executionId)
    {
        using var response = await api.GetAsync($"/api/executions/{executionId}/logs", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var last = new Queue<string>();
        while (await reader.ReadLineAsync() is { } line)
        {
            last.Enqueue(JsonDocument.Parse(line).RootElement.Str("text"));
            if (last.Count > 5)
                last.Dequeue();
        }
        return string.Join("", last);
    }
}
