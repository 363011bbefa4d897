using System.Net;
using System.Text;
using LazyAf.Testing;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>The host as its own process, killed with SIGKILL right after accepting triggers, and started again on the same data.</summary>
public sealed class HostCrashTests(ITestOutputHelper output) : IDisposable
{
    private const int Deliveries = 12;
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();

    public void Dispose()
    {
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task Triggers_accepted_just_before_kill_9_each_run_exactly_once_after_restart()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        string repo;
        List<string> accepted;
        await using (var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]))
        {
            await host.WaitForAsync($"{url}/health");
            (repo, _) = await ProcessHostRepos.CreateAsync(api, url, _work, "crash-triggers",
                new Dictionary<string, string> { [".lazyaf/pipelines/hook.yml"] = PipelineRuns.ScriptPipeline("hook", "webhook: {}", "true") });
            var (token, _) = await new Webhooks(api).AddAsync(repo, "hook");

            // Forced, so each delivery is its own trigger; all in flight at once, then the host dies the moment the last is accepted.
            var responses = await Task.WhenAll(Enumerable.Range(0, Deliveries).Select(_ =>
                api.PostAsync($"/api/webhooks/{token}?force=true", new StringContent("""{"branch":"main"}""", Encoding.UTF8, "application/json"))));
            await host.CrashAsync();
            accepted = [.. await Task.WhenAll(responses.Select(async r => (await r.JsonAsync(HttpStatusCode.Accepted)).Str("id")))];
        }
        var notStarted = NotStartedBeforeRestart();
        output.WriteLine($"{accepted.Count} triggers accepted; {notStarted} had no run when the host was killed");
        // Otherwise the test would prove nothing about triggers that only the restarted host can start.
        Assert.True(notStarted > 0, "every trigger had started its run before the kill");

        await using var restarted = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await restarted.WaitForAsync($"{url}/health");

        await Eventually.HoldsAsync(
            () => PipelineRuns.Of(api, repo).Length == Deliveries && Firings.Of(api, repo).All(f => f.Str("run_id") is not null),
            () => $"{PipelineRuns.Of(api, repo).Length} runs; firings:\n{Firings.Describe(api, repo)}",
            TimeSpan.FromSeconds(60));
        await OutboxDrain.WaitAsync(Path.Combine(_data.Path, "lazyaf.db"));
        var runs = PipelineRuns.Of(api, repo);
        Assert.Equal(Deliveries, runs.Length);
        Assert.Equal(accepted.Order(StringComparer.Ordinal), runs.Select(r => r.Str("trigger_id")).Order(StringComparer.Ordinal));
    }

    /// <summary>Read straight from the dead host's database: accepted triggers whose run had not been started.</summary>
    private long NotStartedBeforeRestart()
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "lazyaf.db")}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM triggers_firings WHERE run_id IS NULL";
        return (long)command.ExecuteScalar()!;
    }
}
