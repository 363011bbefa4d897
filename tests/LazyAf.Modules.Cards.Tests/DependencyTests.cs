using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Cards.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Cards.Tests;

public sealed class DependencyTests : IAsyncLifetime
{
    private readonly ReadyInbox _ready = new();
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;
    private Board _board = null!;

    private HttpClient Api => _host.Client;

    public Task InitializeAsync()
    {
        _host = LazyAfHost.Start(configureServices: services =>
        {
            services.AddSingleton(_ready);
            services.AddEventHandler<CardReadyToStart, ReadyInbox.Handler>();
        });
        _board = new Board(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task Starting_a_blocked_card_is_a_409_naming_the_blocker()
    {
        var repo = await _host.CreateRepoAsync("blocked");
        var blocker = await _board.CreateCardAsync(repo, "Blocker");
        var card = await _board.CreateCardAsync(repo, "Blocked");
        await (await Api.PostJsonAsync($"/api/cards/{card}/dependencies", new { blocked_by = new[] { blocker } })).JsonAsync(HttpStatusCode.OK);

        var problem = await (await Api.PostAsync($"/api/cards/{card}/start", null)).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains(blocker, problem.Str("detail"), StringComparison.Ordinal);
        Assert.Equal([blocker], problem.GetProperty("blocked_by").EnumerateArray().Select(b => b.GetString()));
        var shown = await _board.GetAsync(card);
        Assert.Equal(blocker, shown.GetProperty("blocked_by")[0].Str("id"));
        Assert.DoesNotContain(shown.GetProperty("allowed_transitions").EnumerateArray(), m => m.Str("trigger") == "start");

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/cards/{card}/dependencies/{blocker}")).StatusCode);
        await (await Api.PostAsync($"/api/cards/{card}/start", null)).JsonAsync(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task The_repos_card_list_shows_each_cards_blockers_with_their_status()
    {
        var repo = await _host.CreateRepoAsync("listed-blockers");
        var schema = await _board.CreateCardAsync(repo, "Schema");
        var api = await _board.CreateCardAsync(repo, "API");
        var ui = await _board.CreateCardAsync(repo, "UI");
        await (await Api.PostJsonAsync($"/api/cards/{ui}/dependencies", new { blocked_by = new[] { schema, api } })).JsonAsync(HttpStatusCode.OK);
        await _board.ToReviewAsync(schema, "card/schema");

        var listed = (await (await Api.GetAsync($"/api/repos/{repo}/cards")).JsonAsync(HttpStatusCode.OK)).EnumerateArray().ToDictionary(c => c.Str("id"));

        Assert.Equal([(schema, "Schema", "in_review"), (api, "API", "todo")],
            listed[ui].GetProperty("blocked_by").EnumerateArray().Select(b => (b.Str("id"), b.Str("title"), b.Str("status"))));
        Assert.Empty(listed[schema].GetProperty("blocked_by").EnumerateArray());
        Assert.Equal(0, listed[ui].GetProperty("cost_usd").GetDouble());
    }

    [Fact]
    public async Task Cycles_and_self_dependencies_are_refused()
    {
        var repo = await _host.CreateRepoAsync("cycles");
        var a = await _board.CreateCardAsync(repo, "A");
        var b = await _board.CreateCardAsync(repo, "B");
        var c = await _board.CreateCardAsync(repo, "C");
        await (await Api.PostJsonAsync($"/api/cards/{b}/dependencies", new { blocked_by = new[] { a } })).JsonAsync(HttpStatusCode.OK);
        await (await Api.PostJsonAsync($"/api/cards/{c}/dependencies", new { blocked_by = new[] { b } })).JsonAsync(HttpStatusCode.OK);

        var cycle = await (await Api.PostJsonAsync($"/api/cards/{a}/dependencies", new { blocked_by = new[] { c } })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal([a, c, b, a], cycle.GetProperty("cycle").EnumerateArray().Select(x => x.GetString()));
        await (await Api.PostJsonAsync($"/api/cards/{a}/dependencies", new { blocked_by = new[] { a } })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await Api.PostJsonAsync($"/api/cards/{a}/dependencies", new { blocked_by = Array.Empty<string>() })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, (await _board.GetAsync(a)).GetProperty("blocked_by").GetArrayLength());
    }

    [Fact]
    public async Task A_blocker_from_another_repo_is_refused()
    {
        var card = await _board.CreateCardAsync(await _host.CreateRepoAsync("repo-one"));
        var foreign = await _board.CreateCardAsync(await _host.CreateRepoAsync("repo-two"));
        await (await Api.PostJsonAsync($"/api/cards/{card}/dependencies", new { blocked_by = new[] { foreign } })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task An_auto_start_card_is_released_once_when_its_last_blocker_is_done()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "auto-start");
        var first = await CardOnBranchAsync(repo, "first");
        var second = await CardOnBranchAsync(repo, "second");
        var waiting = await _board.CreateCardAsync(repo.Id, "Waits for both", new { auto_start = true, blocked_by = new[] { first, second } });
        var manual = await _board.CreateCardAsync(repo.Id, "Waits, but starts by hand");
        await (await Api.PostJsonAsync($"/api/cards/{manual}/dependencies", new { blocked_by = new[] { first, second } })).JsonAsync(HttpStatusCode.OK);

        await (await Api.PostAsync($"/api/cards/{first}/approve", null)).JsonAsync(HttpStatusCode.OK);
        await OutboxDrain.WaitAsync(_host.Services);
        Assert.Empty(_ready.Events);

        await (await Api.PostAsync($"/api/cards/{second}/approve", null)).JsonAsync(HttpStatusCode.OK);
        await Eventually.HoldsAsync(() => !_ready.Events.IsEmpty, () => "no card.ready yet");
        await OutboxDrain.WaitAsync(_host.Services);

        var ready = Assert.Single(_ready.Events);
        Assert.Equal(waiting, ready.CardId);
        Assert.Equal(second, ready.UnblockedBy);

        // Delivery is at least once: handling the same completion again releases nothing new.
        var done = await _board.GetAsync(second);
        var redelivered = new CardUpdated(
            new CardSnapshot(second, repo.Id, "second", CardStatus.Done, "script", "second", 0, DateTimeOffset.UtcNow),
            new CardTransition(CardStatus.InReview, CardStatus.Done, "approve", "api", null));
        await using (var scope = _host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Handlers.AutoStartOnUnblock>().HandleAsync(redelivered, new EventContext(0, DateTimeOffset.UtcNow, 2), default);
        await OutboxDrain.WaitAsync(_host.Services);
        Assert.Single(_ready.Events);
        Assert.Equal("done", done.Str("status"));

        // And it really starts, by itself; the card without auto_start waits for a person.
        var moves = await StartedAsync(waiting);
        Assert.Equal(("start", "lazyaf (auto_start)"), (moves[0].Str("trigger"), moves[0].Str("actor")));
        Assert.Equal("todo", (await _board.GetAsync(manual)).Str("status"));
    }

    [Fact]
    public async Task An_auto_start_card_made_with_no_open_blocker_starts_by_itself_and_runs()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "auto-start-now");
        var card = await _board.CreateCardAsync(repo.Id, "Runs at once", new { auto_start = true, step_config = new { command = "echo ran > ran.txt", commit = true } });

        await StartedAsync(card);
        JsonElement settled = default;
        await Eventually.HoldsAsync(() => (settled = _board.GetAsync(card).GetAwaiter().GetResult()).Str("status") == "in_review", () => settled.ToString(), TimeSpan.FromSeconds(60));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("ran", await repo.GitAsync("show", $"origin/{(await _board.GetAsync(card)).Str("branch_name")}:ran.txt"));
    }

    [Fact]
    public async Task A_card_made_blocked_by_a_card_of_no_such_id_or_of_another_repo_is_refused()
    {
        var repo = await _host.CreateRepoAsync("blocked-by-strangers");
        var other = await _board.CreateCardAsync(await _host.CreateRepoAsync("blocked-by-strangers-other"));

        foreach (var blocker in new[] { "01a2386ae8e0778da481ad99fe7df25f", other })
        {
            var problem = await (await Api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "t", step_type = "script", step_config = new { command = "x" }, blocked_by = new[] { blocker } }))
                .ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Equal([$"repo blocked-by-strangers has no card '{blocker}'"], problem.GetProperty("errors").GetProperty("blocked_by").EnumerateArray().Select(e => e.GetString()));
        }
        Assert.Empty((await (await Api.GetAsync($"/api/repos/{repo}/cards")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    // A card that started has its first attempt; its moves say who started it.
    private async Task<JsonElement[]> StartedAsync(string cardId)
    {
        JsonElement card = default;
        await Eventually.HoldsAsync(
            () => (card = _board.GetAsync(cardId).GetAwaiter().GetResult()).GetProperty("attempts").GetArrayLength() == 1,
            () => card.ToString(), TimeSpan.FromSeconds(30));
        return [.. (await (await Api.GetAsync($"/api/cards/{cardId}/events")).JsonAsync(HttpStatusCode.OK)).EnumerateArray()];
    }

    private async Task<string> CardOnBranchAsync(SeededRepo repo, string name)
    {
        await repo.GitAsync("checkout", "--quiet", "-B", name, "main");
        await repo.CommitAsync($"{name}.txt", $"{name}\n", name);
        await repo.PushAsync(name);
        var card = await _board.CreateCardAsync(repo.Id, name);
        await _board.ToReviewAsync(card, name);
        return card;
    }

    private sealed class ReadyInbox
    {
        public ConcurrentQueue<CardReadyToStart> Events { get; } = new();

        public sealed class Handler(ReadyInbox inbox) : IIntegrationEventHandler<CardReadyToStart>
        {
            public Task HandleAsync(CardReadyToStart @event, EventContext context, CancellationToken ct)
            {
                inbox.Events.Enqueue(@event);
                return Task.CompletedTask;
            }
        }
    }
}
