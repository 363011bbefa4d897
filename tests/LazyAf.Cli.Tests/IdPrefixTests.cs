using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary>
/// Ids as people type them, against a fresh host (so the candidates are known): a unique prefix, the last 8 characters (a card
/// branch's suffix), and an ambiguous prefix refused with the candidates listed.
/// </summary>
public sealed class IdPrefixTests : CliTest
{
    [Fact]
    public async Task A_card_is_named_by_a_unique_prefix_by_its_branch_suffix_and_an_ambiguous_prefix_lists_the_candidates()
    {
        await SeededRepo.CreateAsync(Host, Work, "ids");
        var first = await CreateCardAsync("ids", "--title", "First", "--script", "true");
        var second = await CreateCardAsync("ids", "--title", "Second", "--script", "true", "--branch", "feature/login-c0ffee42");
        var common = CommonPrefix(first, second);
        Assert.True(common.Length >= 4, $"{first} and {second} were made together, so their time parts begin alike");

        var byPrefix = (await Cli.RunAsync(Work.Path, "card", "show", first[..(common.Length + 1)])).AssertSucceeded();
        var bySuffix = (await Cli.RunAsync(Work.Path, "card", "show", second[^8..])).AssertSucceeded();
        var byBranch = (await Cli.RunAsync(Work.Path, "card", "show", "c0ffee42")).AssertSucceeded();
        var ambiguous = (await Cli.RunAsync(Work.Path, "card", "show", common)).AssertFailedWithOneLine();
        var unknown = (await Cli.RunAsync(Work.Path, "card", "show", "ffffffffff")).AssertFailedWithOneLine();

        Assert.Equal("First", Lines(byPrefix.Output)[0]);
        Assert.Equal("Second", Lines(bySuffix.Output)[0]);
        Assert.Equal("Second", Lines(byBranch.Output)[0]);
        Assert.Equal($"lazyaf: card '{common}' is ambiguous, it could be: {first} (ids: First), {second} (ids: Second); type more of the id", ambiguous);
        Assert.Equal("lazyaf: no card 'ffffffffff'", unknown);
    }

    [Fact]
    public async Task Executions_and_runs_are_named_by_their_last_8_characters_or_a_unique_prefix()
    {
        var repo = await SeededRepo.CreateAsync(Host, Work, "runs");
        var card = await CreateCardAsync("runs", "--title", "Hello", "--script", "echo hi-there");
        var execution = Lines((await Cli.RunAsync(Work.Path, "card", "start", card[^8..], "-f")).AssertExitedZero().Output)[0];
        await (await Host.Client.PostJsonAsync($"/api/repos/{repo.Id}/pipelines",
            new { yaml = "name: ci\nsteps:\n  - id: test\n    config: {command: \"echo ci\"}\n" })).JsonAsync(HttpStatusCode.Created);
        var run = Lines((await Cli.RunAsync(Work.Path, "pipeline", "run", "runs", "ci", "-f")).AssertExitedZero().Output)[0];

        var logs = (await Cli.RunAsync(Work.Path, "logs", execution[^8..])).AssertSucceeded();
        var shown = (await Cli.RunAsync(Work.Path, "execution", "show", execution[..20], "--json")).AssertSucceeded();
        var runShown = JsonDocument.Parse((await Cli.RunAsync(Work.Path, "pipeline", "show", run[^8..], "--json")).AssertSucceeded().Output).RootElement;
        var stepLogs = (await Cli.RunAsync(Work.Path, "run", "logs", run[..20], "test")).AssertSucceeded();

        Assert.Contains("hi-there", logs.Output, StringComparison.Ordinal);
        Assert.Equal(execution, JsonDocument.Parse(shown.Output).RootElement.Str("id"));
        Assert.Equal((run, "passed"), (runShown.Str("id"), runShown.Str("state")));
        Assert.Contains("ci", stepLogs.Output, StringComparison.Ordinal);
        Assert.Equal("lazyaf: no execution 'ffffffff'", (await Cli.RunAsync(Work.Path, "logs", "ffffffff")).AssertFailedWithOneLine());
        Assert.Equal("lazyaf: no pipeline run 'ffffffff'", (await Cli.RunAsync(Work.Path, "run", "cancel", "ffffffff")).AssertFailedWithOneLine());
    }

    private async Task<string> CreateCardAsync(string repo, params string[] options) =>
        Lines((await Cli.RunAsync(Work.Path, ["card", "create", repo, .. options])).AssertSucceeded().Output)[0];

    private static string CommonPrefix(string a, string b) => a[..Enumerable.Range(0, a.Length).First(i => a[i] != b[i])];

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
