using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>The host as its own process, killed with SIGKILL mid-step and started again on the same data.</summary>
public sealed class HostCrashTests : IDisposable
{
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();

    public void Dispose()
    {
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_script_step_running_when_the_host_is_killed_ends_failed_host_restarted_and_its_card_follows()
    {
        var port = HostProcess.FreePort();
        var url = $"http://127.0.0.1:{port}";
        using var api = new HttpClient { BaseAddress = new Uri(url) };
        string cardId, executionId;
        await using (var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]))
        {
            await host.WaitForAsync($"{url}/health");
            var repo = (await (await api.PostJsonAsync("/api/repos", new { name = "crash" })).JsonAsync(HttpStatusCode.Created)).Str("id");
            var source = await TestGit.InitAsync(_work.Combine("source"));
            await TestGit.RunAsync(source, "push", "--quiet", $"{url}/git/{repo}.git", "main");
            cardId = (await (await api.PostJsonAsync($"/api/repos/{repo}/cards",
                new { title = "Long", step_type = "script", step_config = new { command = "sleep 30" } })).JsonAsync(HttpStatusCode.Created)).Str("id");
            using var started = await api.PostAsync($"/api/cards/{cardId}/start", null);
            executionId = started.Headers.Location!.ToString().Split('/')[^1];
            await CardRuns.WaitForStateAsync(api, executionId, "running");

            await host.CrashAsync();
        }

        await using var restarted = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await restarted.WaitForAsync($"{url}/health");

        await CardRuns.WaitForStateAsync(api, executionId, "failed");
        var execution = await (await api.GetAsync($"/api/executions/{executionId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("host restarted", execution.Str("error"));
        await Eventually.HoldsAsync(() => CardStatusOf(api, cardId) == "failed", () => CardStatusOf(api, cardId), TimeSpan.FromSeconds(30));
    }

    private static string CardStatusOf(HttpClient api, string cardId) =>
        api.GetFromJsonAsync<JsonElement>($"/api/cards/{cardId}").GetAwaiter().GetResult().Str("status");
}
