using System.Net;
using System.Threading.Channels;
using LazyAf.Testing;

namespace LazyAf.Modules.Cards.Tests;

public sealed class CardPagingTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private readonly Board _board = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    [Fact]
    public async Task Paging_returns_every_card_exactly_once_while_cards_are_being_added()
    {
        var repo = await fixture.Host.CreateRepoAsync("cards-paging");
        var before = new List<string>();
        for (var i = 0; i < 120; i++)
            before.Add(await _board.CreateCardAsync(repo, $"Before {i}"));

        // A writer adds cards while the pages are read; after each page the reader waits for one more to be added, so
        // additions land between every two pages.
        var added = Channel.CreateUnbounded<string>();
        var addedIds = new List<string>();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < 40; i++)
            {
                var id = await _board.CreateCardAsync(repo, $"During {i}");
                lock (addedIds)
                    addedIds.Add(id);
                await added.Writer.WriteAsync(id);
            }
            added.Writer.Complete();
        });

        var seen = new List<string>();
        var pages = 0;
        string? next = $"/api/repos/{repo}/cards?limit=13";
        HashSet<string> addedBeforeLastPage = [];
        while (next is not null)
        {
            if (pages > 0 && await added.Reader.WaitToReadAsync())
                await added.Reader.ReadAsync();
            lock (addedIds)
                addedBeforeLastPage = [.. addedIds];
            var response = await Api.GetAsync(next);
            var page = await response.JsonAsync(HttpStatusCode.OK);
            Assert.True(page.GetArrayLength() <= 13);
            seen.AddRange(page.EnumerateArray().Select(c => c.Str("id")));
            next = NextLink(response);
            pages++;
        }
        await writer;

        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), before.ToHashSet());
        // Every card that existed when the last page was asked for is on some page, added ones included.
        Assert.Subset(seen.ToHashSet(), addedBeforeLastPage);
        Assert.Superset(seen.ToHashSet(), before.Concat(addedIds).ToHashSet());
        Assert.True(pages >= 10, $"{pages} pages");
        Assert.NotEmpty(addedBeforeLastPage);
    }

    [Fact]
    public async Task A_status_filter_pages_over_that_column_only()
    {
        var repo = await fixture.Host.CreateRepoAsync("cards-paging-status");
        var failed = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            var card = await _board.CreateCardAsync(repo, $"Card {i}");
            if (i % 2 == 0)
            {
                await _board.FailAsync(card);
                failed.Add(card);
            }
        }

        var seen = new List<string>();
        string? next = $"/api/repos/{repo}/cards?status=failed&limit=1";
        while (next is not null)
        {
            Assert.Contains("status=failed", next);
            var response = await Api.GetAsync(next);
            var page = await response.JsonAsync(HttpStatusCode.OK);
            Assert.All(page.EnumerateArray(), c => Assert.Equal("failed", c.Str("status")));
            seen.AddRange(page.EnumerateArray().Select(c => c.Str("id")));
            next = NextLink(response);
        }
        Assert.Equal(failed, seen);

        var all = await Api.GetAsync($"/api/repos/{repo}/cards");
        Assert.Equal(7, (await all.JsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Null(NextLink(all));
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=-1", "limit")]
    [InlineData("limit=ten", "limit")]
    [InlineData("limit=1.5", "limit")]
    [InlineData("cursor=not-a-cursor!", "cursor")]
    [InlineData("cursor=azA", "cursor")] // "k0": no card is before the first
    [InlineData("cursor=eA", "cursor")] // "x": not one of ours
    [InlineData("status=doing", "status")]
    public async Task A_bad_page_request_is_a_400_naming_the_parameter(string query, string field)
    {
        var repo = await fixture.Host.CreateRepoAsync($"cards-paging-bad-{Guid.NewGuid():N}"[..28]);
        var problem = await (await Api.GetAsync($"/api/repos/{repo}/cards?{query}")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_limit_above_the_cap_is_cut_not_refused()
    {
        var repo = await fixture.Host.CreateRepoAsync("cards-paging-cap");
        await _board.CreateCardAsync(repo);
        var response = await Api.GetAsync($"/api/repos/{repo}/cards?limit=100000");
        Assert.Equal(1, (await response.JsonAsync(HttpStatusCode.OK)).GetArrayLength());
        Assert.Null(NextLink(response));
    }

    private static string? NextLink(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Link", out var values))
            return null;
        var link = Assert.Single(values);
        Assert.EndsWith("; rel=\"next\"", link);
        return link[(link.IndexOf('<') + 1)..link.IndexOf('>')];
    }
}
