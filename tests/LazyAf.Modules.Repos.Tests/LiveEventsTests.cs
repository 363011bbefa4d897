using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Repos.Tests;

/// <summary>The <c>/ws</c> stream, with push events as the traffic.</summary>
public sealed class LiveEventsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_client_gets_its_topics_events_in_order_and_after_a_reconnect_exactly_what_it_missed()
    {
        var watched = await SeededRepo.CreateAsync(fixture.Host, _work, "live-watched");
        var other = await SeededRepo.CreateAsync(fixture.Host, _work, "live-other");
        var live = await LiveClient.ConnectAsync(fixture.Host, topics: $"repo:{watched.Id}");

        var firstShas = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            firstShas.Add(await watched.CommitAsync("f.txt", $"{i}\n", $"first {i}"));
            await watched.PushAsync("main");
            await other.CommitAsync("o.txt", $"{i}\n", $"other {i}");
            await other.PushAsync("main");
        }
        var first = await live.TakeAsync(3);
        Assert.All(first, m => Assert.Equal("push.received", m.Str("type")));
        Assert.Equal(firstShas, first.Select(m => m.GetProperty("payload").Str("new_sha")));
        AssertIncreasing(first);
        await live.DisposeAsync();

        var missedShas = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            missedShas.Add(await watched.CommitAsync("f.txt", $"missed {i}\n", $"missed {i}"));
            await watched.PushAsync("main");
        }
        await using var resumed = await LiveClient.ConnectAsync(fixture.Host, topics: $"repo:{watched.Id}", after: first[^1].GetProperty("id").GetInt64());
        var replayed = await resumed.TakeAsync(3);
        Assert.Equal(missedShas, replayed.Select(m => m.GetProperty("payload").Str("new_sha")));

        // Live again after the replay, and nothing from before is sent twice.
        var liveSha = await watched.CommitAsync("f.txt", "live\n", "live");
        await watched.PushAsync("main");
        var next = await resumed.NextAsync();
        Assert.Equal(liveSha, next.GetProperty("payload").Str("new_sha"));
        AssertIncreasing([.. replayed, next]);
    }

    [Fact]
    public async Task Subscribing_later_adds_topics_and_no_topics_means_everything()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "live-later");
        await using var everything = await LiveClient.ConnectAsync(fixture.Host);
        await using var narrow = await LiveClient.ConnectAsync(fixture.Host, topics: LiveClient.Nowhere);
        // A message the server does not understand changes nothing and is answered with an error, not an acknowledgement.
        await narrow.SendAsync(new { hello = "server" });
        Assert.Equal("stream.error", (await narrow.NextAsync()).Str("type"));
        Assert.Equal(new[] { LiveClient.Nowhere, $"repo:{repo.Id}" }.Order(StringComparer.Ordinal), await narrow.FollowAsync($"repo:{repo.Id}"));

        var sha = await repo.CommitAsync("x.txt", "x\n", "x");
        await repo.PushAsync("main");

        Assert.Equal(sha, (await narrow.NextAsync()).GetProperty("payload").Str("new_sha"));
        JsonElement seen;
        do
            seen = await everything.NextAsync();
        while (seen.GetProperty("payload").Str("new_sha") != sha);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1000)]
    public async Task A_subscribe_message_of_many_kilobytes_is_read_whole_and_acknowledged(int? frameBytes)
    {
        await using var live = await LiveClient.ConnectAsync(fixture.Host, topics: LiveClient.Nowhere);
        var topics = Enumerable.Range(0, 400).Select(_ => $"card:{Kernel.Ids.New()}").ToArray();
        var message = JsonSerializer.Serialize(new { subscribe = topics });
        Assert.True(message.Length > 12_000, $"{message.Length} bytes");

        await live.SendTextAsync(message, frameBytes);

        var ack = await live.NextAsync();
        Assert.Equal("stream.topics", ack.Str("type"));
        Assert.Equal(401, ack.GetProperty("payload").GetProperty("topics").GetArrayLength());
    }

    [Theory]
    [InlineData("not json", "the message is not JSON")]
    [InlineData("[\"repo:x\"]", "expected {\"subscribe\": [topics]}")]
    [InlineData("{\"hello\": 1}", "expected {\"subscribe\": [topics]}")]
    [InlineData("{\"subscribe\": \"repo:x\"}", "\"subscribe\" must be an array of topics")]
    [InlineData("{\"subscribe\": [\"repo:a\"], \"unsubscribe\": [1]}", "\"unsubscribe\" must be an array of topics")]
    [InlineData("{\"subscribe\": [\"repo:my-app\"]}", "'repo:my-app' needs the repo's id")]
    [InlineData("{\"subscribe\": [\"cards:0190a1b2c3d4e5f60718293a4b5c6d7e\"]}", "'cards:0190a1b2c3d4e5f60718293a4b5c6d7e' names no kind of topic")]
    [InlineData("{\"subscribe\": [\"everything\"]}", "'everything' is not a topic")]
    public async Task An_invalid_message_gets_an_error_frame_and_changes_nothing(string message, string error)
    {
        await using var live = await LiveClient.ConnectAsync(fixture.Host, topics: LiveClient.Nowhere);

        await live.SendTextAsync(message);

        var answer = await live.NextAsync();
        Assert.Equal("stream.error", answer.Str("type"));
        Assert.StartsWith(error, answer.GetProperty("payload").Str("error"), StringComparison.Ordinal);
        // Still open, and still following only what it followed.
        Assert.Equal(new[] { LiveClient.Nowhere, LiveClient.ElsewhereToo }.Order(StringComparer.Ordinal), await live.FollowAsync(LiveClient.ElsewhereToo));
    }

    [Theory]
    [InlineData("repo:my-app", "'repo:my-app' needs the repo's id (32 lower-case hex characters), not a name.")]
    [InlineData("runners,pipelines:0190a1b2c3d4e5f60718293a4b5c6d7e", "'pipelines:0190a1b2c3d4e5f60718293a4b5c6d7e' names no kind of topic")]
    public async Task Topics_no_event_can_carry_are_a_400_naming_the_field(string topics, string error)
    {
        var problem = await (await fixture.Host.Client.GetAsync($"/ws?topics={Uri.EscapeDataString(topics)}")).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.StartsWith(error, problem.GetProperty("errors").GetProperty("topics")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_message_over_the_limit_closes_the_stream_with_1009()
    {
        await using var live = await LiveClient.ConnectAsync(fixture.Host);
        var tooBig = JsonSerializer.Serialize(new { subscribe = new[] { new string('x', 70 * 1024) } });

        try
        {
            await live.SendTextAsync(tooBig, 8 * 1024);
        }
        catch (System.Net.WebSockets.WebSocketException)
        {
            // The server may close before the last frames are sent; what it says about it is the point.
        }

        var (status, reason) = await live.ClosedAsync();
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, status);
        Assert.Equal("a message may be at most 65536 bytes", reason);
    }

    [Fact]
    public async Task Repo_changes_are_streamed_as_repo_events()
    {
        await using var live = await LiveClient.ConnectAsync(fixture.Host);
        var id = await fixture.Host.CreateRepoAsync("live-repo-events");
        await fixture.Host.Client.PatchJsonAsync($"/api/repos/{id}", new { default_branch = "trunk" });
        await fixture.Host.Client.DeleteAsync($"/api/repos/{id}");

        var mine = new List<JsonElement>();
        while (mine.Count < 3)
        {
            var message = await live.NextAsync();
            if (message.GetProperty("payload").TryGetProperty("repo", out var repo) && repo.Str("id") == id
                || message.GetProperty("payload").TryGetProperty("repo_id", out var repoId) && repoId.GetString() == id)
                mine.Add(message);
        }

        Assert.Equal(["repo.created", "repo.updated", "repo.deleted"], mine.Select(m => m.Str("type")));
        Assert.Equal("trunk", mine[1].GetProperty("payload").GetProperty("repo").Str("default_branch"));
    }

    [Fact]
    public async Task A_bad_resume_id_or_a_plain_http_request_is_a_400_problem()
    {
        await (await fixture.Host.Client.GetAsync("/ws?after=abc")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await fixture.Host.Client.GetAsync("/ws?after=-1")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await fixture.Host.Client.GetAsync("/ws")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    private static void AssertIncreasing(IEnumerable<JsonElement> messages)
    {
        var ids = messages.Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
