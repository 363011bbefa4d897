using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Cards.Tests;

/// <summary>Cards across restarts and on the live stream.</summary>
public sealed class CardLifecycleTests : IDisposable
{
    private readonly TempDir _data = new("lazyaf-data");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task State_and_history_survive_a_host_restart()
    {
        string repo, card;
        await using (var host = LazyAfHost.Start(_data.Path))
        {
            var board = new Board(host);
            repo = await host.CreateRepoAsync("restart");
            card = await board.CreateCardAsync(repo);
            await board.ToReviewAsync(card, "lazyaf/card-r");
            await (await host.Client.PostJsonAsync($"/api/cards/{card}/reject", new { reason = "before restart" })).JsonAsync(HttpStatusCode.OK);
            await board.FailAsync(card);
        }

        await using var restarted = LazyAfHost.Start(_data.Path);
        var shown = await new Board(restarted).GetAsync(card);
        Assert.Equal("failed", shown.Str("status"));
        Assert.Equal("lazyaf/card-r", shown.Str("branch_name"));
        Assert.Equal("retry", shown.GetProperty("allowed_transitions")[0].Str("trigger"));
        var events = await (await restarted.Client.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["start", "submit_for_review", "reject", "start", "fail"], events.EnumerateArray().Select(e => e.Str("trigger")));
        Assert.Equal("before restart", events[2].Str("reason"));
    }

    [Fact]
    public async Task A_live_client_sees_card_events_in_order_and_after_reconnecting_exactly_what_it_missed()
    {
        await using var host = LazyAfHost.Start(_data.Path);
        var board = new Board(host);
        var repo = await host.CreateRepoAsync("live-cards");
        var live = await LiveClient.ConnectAsync(host, topics: $"repo:{repo}");

        var card = await board.CreateCardAsync(repo, "Watched");
        await host.Client.PatchJsonAsync($"/api/cards/{card}", new { title = "Watched, renamed" });
        await board.ToReviewAsync(card, "b");
        var seen = await live.TakeAsync(5);
        Assert.Equal(["card.created", "card.updated", "card.updated", "card.updated", "card.updated"], seen.Select(m => m.Str("type")));
        Assert.Equal(["todo", "todo", "in_progress", "in_progress", "in_review"], seen.Select(m => m.GetProperty("payload").GetProperty("card").Str("status")));
        Assert.Equal("submit_for_review", seen[^1].GetProperty("payload").GetProperty("transition").Str("trigger"));
        await live.DisposeAsync();

        var missed = await board.CreateCardAsync(repo, "Made while away");
        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/api/cards/{missed}")).StatusCode);
        await host.Client.PostJsonAsync($"/api/cards/{card}/reject", new { reason = "away" });

        await using var resumed = await LiveClient.ConnectAsync(host, topics: $"card:{card},card:{missed}", after: seen[^1].GetProperty("id").GetInt64());
        var replayed = await resumed.TakeAsync(3);
        Assert.Equal(["card.created", "card.deleted", "card.updated"], replayed.Select(m => m.Str("type")));
        var ids = seen.Concat(replayed).Select(m => m.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(ids.Order(), ids);

        var marker = await board.CreateCardAsync(repo, "Marker");
        // Once the server acknowledges the new topic, the marker's events are sure to come.
        Assert.Equal(new[] { $"card:{card}", $"card:{marker}", $"card:{missed}" }.Order(StringComparer.Ordinal), await resumed.FollowAsync($"card:{marker}"));
        await host.Client.PatchJsonAsync($"/api/cards/{marker}", new { description = "now watched" });
        var next = await resumed.NextAsync();
        Assert.Equal(marker, next.GetProperty("payload").GetProperty("card").Str("id"));
    }
}
