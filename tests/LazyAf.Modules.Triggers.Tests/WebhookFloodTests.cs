using System.Diagnostics;
using System.Net;
using System.Text;
using LazyAf.Testing;
using Xunit.Abstractions;
using static LazyAf.Modules.Triggers.Tests.FakePipelines;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Thousands of deliveries to one webhook at once: most are refused with 429, and the host keeps answering.</summary>
public sealed class WebhookFloodTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Deliveries = 3000;
    private readonly FakePipelines _pipelines = new();
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;

    public Task InitializeAsync()
    {
        _host = StartHost(_pipelines);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_flood_to_one_webhook_is_rate_limited_with_retry_after_while_health_still_answers_quickly()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "flood");
        _pipelines.Define(repo.Id, "ci");
        var (token, _) = await new Webhooks(_host.Client).AddAsync(repo.Id, "ci");
        using var flooder = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(_host.BaseUrl) };
        using var prober = new HttpClient { BaseAddress = new Uri(_host.BaseUrl) };
        // Warm: the first request of a fresh host pays for JIT and a connection, which is not what is measured.
        (await prober.GetAsync("/health")).EnsureSuccessStatusCode();

        var clock = Stopwatch.StartNew();
        var flood = Task.WhenAll(Enumerable.Range(0, Deliveries).Select(_ => DeliverAsync(flooder, token)));
        var healthTimes = new List<TimeSpan>();
        while (!flood.IsCompleted)
        {
            var probe = Stopwatch.StartNew();
            using var health = await prober.GetAsync("/health");
            healthTimes.Add(probe.Elapsed);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            await Task.Delay(50);
        }
        var answers = await flood;
        var elapsed = clock.Elapsed;

        var limited = answers.Where(a => a.Status == HttpStatusCode.TooManyRequests).ToList();
        var accepted = answers.Count(a => a.Status is HttpStatusCode.Accepted or HttpStatusCode.OK);
        output.WriteLine($"{Deliveries} deliveries in {elapsed.TotalMilliseconds:F0} ms: {accepted} accepted, {limited.Count} limited; " +
            $"/health {healthTimes.Count} probes, max {healthTimes.Max().TotalMilliseconds:F0} ms, median {healthTimes.Order().ElementAt(healthTimes.Count / 2).TotalMilliseconds:F0} ms");

        Assert.Equal(Deliveries, accepted + limited.Count);
        // The bucket holds 20 and refills 5 a second; the slack covers a slow machine.
        Assert.InRange(accepted, 1, 20 + (5 * ((int)elapsed.TotalSeconds + 1)));
        Assert.All(limited, a => Assert.True(a.RetryAfter >= 1 && a.MediaType == "application/problem+json", $"429 with Retry-After {a.RetryAfter} and {a.MediaType}"));
        Assert.NotEmpty(healthTimes);
        Assert.True(healthTimes.Max() < TimeSpan.FromSeconds(3), $"/health took {healthTimes.Max().TotalMilliseconds:F0} ms during the flood");
        // Every accepted delivery asked for the same commit: one trigger, one run.
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => $"{_pipelines.RunsOf(repo.Id).Count} runs");
        Assert.Single(await Firings.OfAsync(_host.Client, repo.Id));
    }

    private static async Task<(HttpStatusCode Status, int RetryAfter, string? MediaType)> DeliverAsync(HttpClient client, string token)
    {
        using var content = new StringContent("""{"branch":"main"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync($"/api/webhooks/{token}", content);
        var retryAfter = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : 0;
        return (response.StatusCode, retryAfter, response.Content.Headers.ContentType?.MediaType);
    }
}
