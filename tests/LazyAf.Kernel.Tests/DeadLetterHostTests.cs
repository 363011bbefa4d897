using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LazyAf.Testing;
using Microsoft.Data.Sqlite;

namespace LazyAf.Kernel.Tests;

/// <summary>The real host as its own process, its SQLite outbox poisoned from outside, as a broken upgrade or a bad write would.</summary>
public sealed partial class DeadLetterHostTests : IDisposable
{
    private const string CardsOfDeletedRepo = "LazyAf.Modules.Cards.Handlers.CardsOfDeletedRepo";
    private readonly TempDir _data = new("lazyaf-data");

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task An_unreadable_event_and_a_failing_handler_hold_up_no_other_event_or_handler_and_an_admin_retries_or_discards_them()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        await using var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path, "--Outbox:MaxAttempts=2", "--Outbox:RetryDelay=00:00:00.200"]);
        await host.WaitForAsync($"{url}/health");
        var (kept, keptCard) = await RepoWithCardAsync(api, "kept-going");
        var (refused, refusedCard) = await RepoWithCardAsync(api, "refused");

        // First in the queue: a row no host can read. Then a handler that fails whatever it is given: the database refuses it.
        Execute($$"""
            INSERT INTO kernel_outbox (event_type, payload, topics, occurred_at, next_attempt_at)
            VALUES ('repo.deleted', '{"repo_id": not json', '', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
            CREATE TRIGGER test_refuse_card_delete BEFORE DELETE ON cards_cards WHEN OLD.id = '{{refusedCard}}'
            BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;
            """);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/repos/{refused}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/repos/{kept}")).StatusCode);

        // A later event went through every handler: the kept repo's card went with it.
        await Eventually.HoldsAsync(async () => (await api.GetAsync($"/api/cards/{keptCard}")).StatusCode == HttpStatusCode.NotFound, () => Task.FromResult(host.Log), TimeSpan.FromSeconds(30));
        var letters = await Eventually.ValueAsync(() => DeadLettersAsync(api), l => l.GetArrayLength() == 2, TimeSpan.FromSeconds(30));
        var unreadable = letters[0];
        Assert.Equal("repo.deleted", unreadable.Str("event_type"));
        Assert.StartsWith("the payload cannot be read as repo.deleted", unreadable.Str("reason"), StringComparison.Ordinal);
        var failed = letters[1];
        Assert.Equal(2, failed.GetProperty("attempts").GetInt64());
        var failure = Assert.Single(failed.GetProperty("failures").EnumerateArray());
        Assert.Equal(CardsOfDeletedRepo, failure.Str("handler"));
        Assert.Contains("refused by the test", failure.Str("error"), StringComparison.Ordinal);
        // The refused repo's other handlers all ran despite the one that failed.
        Assert.Equal(
            ["ExecutionsOfDeletedRepo", "PlaygroundRunsOfDeletedRepo", "ReportsOfDeletedRepo", "RunsOfDeletedRepo", "TrackRepos"],
            failed.GetProperty("delivered_to").EnumerateArray().Select(h => h.GetString()![(h.GetString()!.LastIndexOf('.') + 1)..]).Order(StringComparer.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/cards/{refusedCard}")).StatusCode);
        await host.WaitForLogAsync(DeadLetterLine());

        // Fixed, the admin retries it and the card goes; the unreadable one is discarded.
        Execute("DROP TRIGGER test_refuse_card_delete");
        var failedId = failed.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsync($"/api/admin/dead-letters/{failedId}/retry", null)).StatusCode);
        await Eventually.HoldsAsync(async () => (await api.GetAsync($"/api/cards/{refusedCard}")).StatusCode == HttpStatusCode.NotFound, () => Task.FromResult(host.Log), TimeSpan.FromSeconds(30));
        var unreadableId = unreadable.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/admin/dead-letters/{unreadableId}")).StatusCode);
        Assert.Equal(0, (await Eventually.ValueAsync(() => DeadLettersAsync(api), l => l.GetArrayLength() == 0)).GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/admin/dead-letters/{unreadableId}/retry", null)).StatusCode);
    }

    [Fact]
    public async Task Dead_letters_are_for_admins_only()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        await using var host = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await host.WaitForAsync($"{url}/health");
        var token = (await (await api.PostJsonAsync("/api/tokens", new { name = "reader", scopes = new[] { "read", "cards" } })).JsonAsync(HttpStatusCode.Created)).Str("token");
        using var reader = new HttpClient(new TokenHandler(() => token)) { BaseAddress = new Uri(url) };

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/admin/dead-letters")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsync("/api/admin/dead-letters/1/retry", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/admin/dead-letters")).StatusCode);
    }

    private static async Task<(string Repo, string Card)> RepoWithCardAsync(HttpClient api, string name)
    {
        var repo = (await (await api.PostJsonAsync("/api/repos", new { name })).JsonAsync(HttpStatusCode.Created)).Str("id");
        var card = (await (await api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "stay or go", step_type = "script", step_config = new { command = "true" } }))
            .JsonAsync(HttpStatusCode.Created)).Str("id");
        return (repo, card);
    }

    private static async Task<JsonElement> DeadLettersAsync(HttpClient api) =>
        await (await api.GetAsync("/api/admin/dead-letters")).JsonAsync(HttpStatusCode.OK);

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path.Combine(_data.Path, "lazyaf.db")};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout=30000; " + sql;
        command.ExecuteNonQuery();
    }

    [GeneratedRegex(@"ERR\].*Event \d+ \(repo\.deleted\) is a dead letter: 1 handler\(s\) still failing after 2 attempt\(s\): CardsOfDeletedRepo: .*refused by the test")]
    private static partial Regex DeadLetterLine();
}
