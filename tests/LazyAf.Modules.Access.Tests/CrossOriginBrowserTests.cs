using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LazyAf.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Access.Tests;

/// <summary>
/// The attack of the Access issue, in real headless Chromium (<c>tests/browser</c>): a page served from another
/// local port tries every bodyless POST that moves work (start, retry, approve, reject, cancel, run), a
/// <c>text/plain</c> POST, a form POST and a <c>/ws</c> connection — first with nobody logged in, then with the owner
/// logged into the board through the login link in the same browser — and a rebinding page (its own name resolving to
/// 127.0.0.1) tries the same origin. Nothing changes and no event is read; the board's own origin, with the session,
/// reads and follows events.
/// </summary>
public sealed class CrossOriginBrowserTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;
    private WebApplication _attacker = null!;

    public async Task InitializeAsync()
    {
        _host = LazyAfHost.Start();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        _attacker = builder.Build();
        _attacker.MapGet("/page.html", () => Results.Content("<!doctype html><title>Some page</title><body><p>Nice weather.</p></body>", "text/html"));
        await _attacker.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _attacker.DisposeAsync();
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_page_from_another_origin_changes_nothing_and_reads_no_event_with_or_without_the_owner_logged_in()
    {
        var world = await World.ArrangeAsync(_host, _work);
        var before = await world.SnapshotAsync();
        var api = _host.BaseUrl;
        var port = new Uri(api).Port;
        var plan = new Dictionary<string, object?>
        {
            ["host"] = api,
            ["attackerPage"] = _attacker.Urls.First() + "/page.html",
            ["subscribeTopic"] = $"repo:{world.Repo.Id}",
            ["ws"] = api.Replace("http://", "ws://", StringComparison.Ordinal) + "/ws",
            ["rebound"] = $"http://rebound.test:{port}/api/repos",
            ["reboundWrite"] = $"http://rebound.test:{port}/api/cards/{world.Todo}/start",
            ["writes"] = new object[]
            {
                new { kind = "bodyless", url = $"{api}/api/cards/{world.Todo}/start" },
                new { kind = "bodyless", url = $"{api}/api/cards/{world.Failed}/retry" },
                new { kind = "bodyless", url = $"{api}/api/cards/{world.InReview}/approve" },
                new { kind = "bodyless", url = $"{api}/api/cards/{world.InReview}/reject" },
                new { kind = "bodyless", url = $"{api}/api/executions/{world.RunningExecution}/cancel" },
                new { kind = "bodyless", url = $"{api}/api/repos/{world.Repo.Id}/pipelines/ci/run" },
                new { kind = "text", url = $"{api}/api/repos/{world.Repo.Id}/cards", body = """{"title":"from a page","step_type":"script","step_config":{"command":"id"},"auto_start":true}""" },
                new { kind = "form", url = $"{api}/api/cards/{world.Todo}/start" },
            },
        };

        var stranger = await RunBrowserAsync(plan);
        var link = await (await _host.Client.PostAsync("/api/login-codes", null)).JsonAsync(HttpStatusCode.OK);
        plan["loginUrl"] = link.Str("url");
        var owner = await RunBrowserAsync(plan);

        Assert.Equal(before, await world.SnapshotAsync());

        foreach (var run in new[] { stranger, owner })
        {
            var outcomes = run.GetProperty("attack").GetProperty("outcomes").EnumerateArray().ToList();
            Assert.Equal(8, outcomes.Count);
            Assert.All(outcomes, o => Assert.True(o.GetProperty("sent").GetBoolean(), o.ToString()));
            var ws = run.GetProperty("attack").GetProperty("ws").EnumerateArray().Select(e => e.GetString()!).ToList();
            Assert.DoesNotContain("open", ws);
            Assert.DoesNotContain(ws, e => e.StartsWith("message:", StringComparison.Ordinal));
            Assert.Equal(421, run.GetProperty("rebound").GetProperty("status").GetInt32());
            Assert.Equal(421, run.GetProperty("rebound").GetProperty("post").GetInt32());
        }
        var cookie = Assert.Single(owner.GetProperty("cookies").EnumerateArray());
        Assert.Equal(($"lazyaf_session_{port}", true, "Strict"), (cookie.Str("name"), cookie.GetProperty("httpOnly").GetBoolean(), cookie.Str("sameSite")));
        Assert.Equal((200, "owner", "stream.topics"),
            (owner.GetProperty("own").GetProperty("me").GetInt32(), owner.GetProperty("own").Str("user"), owner.GetProperty("own").Str("ws")));
    }

    private async Task<JsonElement> RunBrowserAsync(Dictionary<string, object?> plan)
    {
        var root = RepositoryRoot();
        var browserTests = Path.Combine(root, "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(browserTests, "node_modules", "playwright-core")),
            "tests/browser has no node_modules: scripts/test installs them (npm ci in tests/browser)");
        var planFile = _work.Combine($"plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, JsonSerializer.Serialize(plan));
        var start = new ProcessStartInfo("node", [Path.Combine(browserTests, "cross-origin.mjs"), planFile])
        {
            WorkingDirectory = browserTests,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var error = node.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"the browser run failed ({node.ExitCode}): {await error}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LazyAf.sln")))
            directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("LazyAf.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>One repo with a card in every state an attack could move, a running step and a pipeline to run.</summary>
    private sealed record World(LazyAfHost Host, SeededRepo Repo, string Todo, string InReview, string Failed, string RunningExecution)
    {
        public static async Task<World> ArrangeAsync(LazyAfHost host, TempDir work)
        {
            var repo = await SeededRepo.CreateAsync(host, work, "targets");
            await repo.CommitAsync(".lazyaf/pipelines/ci.yml", "name: ci\nsteps:\n  - id: build\n    config: {command: 'true'}\n", "A pipeline");
            await repo.PushAsync("main");
            var todo = await CardAsync(host, repo, "echo started > started.txt");
            var review = await CardAsync(host, repo, "true");
            var failed = await CardAsync(host, repo, "false");
            var running = await CardAsync(host, repo, "sleep 300");
            await StartAsync(host, review);
            await StartAsync(host, failed);
            var execution = await StartAsync(host, running);
            await SettledAsync(host, review, "in_review");
            await SettledAsync(host, failed, "failed");
            await Eventually.HoldsAsync(
                async () => (await (await host.Client.GetAsync($"/api/executions/{execution}")).JsonAsync(HttpStatusCode.OK)).Str("state") == "running",
                () => host.Client.GetStringAsync($"/api/executions/{execution}"), TimeSpan.FromSeconds(60));
            return new World(host, repo, todo, review, failed, execution);
        }

        /// <summary>Every card of the repo with its status and history, the running step's state, and the repo's pipeline runs.</summary>
        public async Task<string> SnapshotAsync()
        {
            var cards = await (await Host.Client.GetAsync($"/api/repos/{Repo.Id}/cards")).JsonAsync(HttpStatusCode.OK);
            var lines = new List<string>();
            foreach (var card in cards.EnumerateArray())
            {
                var events = await (await Host.Client.GetAsync($"/api/cards/{card.Str("id")}/events")).JsonAsync(HttpStatusCode.OK);
                lines.Add($"{card.Str("id")} {card.Str("status")} {events.GetArrayLength()}");
            }
            lines.Add("running: " + (await (await Host.Client.GetAsync($"/api/executions/{RunningExecution}")).JsonAsync(HttpStatusCode.OK)).Str("state"));
            lines.Add("runs: " + (await (await Host.Client.GetAsync($"/api/pipeline-runs?repo_id={Repo.Id}")).JsonAsync(HttpStatusCode.OK)).GetArrayLength());
            return string.Join('\n', lines);
        }

        private static async Task<string> CardAsync(LazyAfHost host, SeededRepo repo, string command) =>
            (await (await host.Client.PostJsonAsync($"/api/repos/{repo.Id}/cards",
                new { title = command, step_type = "script", step_config = new { command } })).JsonAsync(HttpStatusCode.Created)).Str("id");

        private static async Task<string> StartAsync(LazyAfHost host, string card)
        {
            using var response = await host.Client.PostAsync($"/api/cards/{card}/start", null);
            await response.JsonAsync(HttpStatusCode.Accepted);
            return response.Headers.Location!.ToString().Split('/')[^1];
        }

        private static Task SettledAsync(LazyAfHost host, string card, string status) =>
            Eventually.HoldsAsync(
                async () => (await (await host.Client.GetAsync($"/api/cards/{card}")).JsonAsync(HttpStatusCode.OK)).Str("status") == status,
                () => host.Client.GetStringAsync($"/api/cards/{card}"), TimeSpan.FromSeconds(60));
    }
}
