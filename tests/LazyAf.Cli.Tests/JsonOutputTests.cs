using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>--json</c> on the listings and shows: one JSON document with the API's field names, parsed back here.</summary>
public sealed class JsonOutputTests : CliTest
{
    [Fact]
    public async Task Every_listing_and_show_prints_json_that_parses_back_to_what_it_lists()
    {
        var repo = await SeededRepo.CreateAsync(Host, Work, "json");
        var card = Lines((await Cli.RunAsync(Work.Path, "card", "create", "json", "--title", "Parse me", "--script", "true")).AssertSucceeded().Output)[0];
        await (await Host.Client.PostJsonAsync($"/api/repos/{repo.Id}/pipelines",
            new { yaml = "name: ci\nsteps:\n  - id: test\n    config: {command: \"true\"}\n" })).JsonAsync(HttpStatusCode.Created);
        var run = Lines((await Cli.RunAsync(Work.Path, "pipeline", "run", "json", "ci", "-f")).AssertExitedZero().Output)[0];
        (await Cli.RunAsync(Work.Path, "webhook", "add", "json", "ci")).AssertSucceeded();

        Assert.Equal(["json"], (await JsonAsync("repos", "--json")).EnumerateArray().Select(r => r.Str("name")));
        Assert.Contains((await JsonAsync("branches", "json", "--json")).EnumerateArray(), b => b.Str("name") == "main" && b.GetProperty("is_default").GetBoolean());
        Assert.Equal([card], (await JsonAsync("cards", "json", "--json")).EnumerateArray().Select(c => c.Str("id")));
        var shown = await JsonAsync("card", "show", card, "--json");
        Assert.Equal(("Parse me", "todo", "true"), (shown.Str("title"), shown.Str("status"), shown.GetProperty("step_config").Str("command")));
        Assert.Equal([run], (await JsonAsync("pipeline", "runs", "json", "--json")).EnumerateArray().Select(r => r.Str("id")));
        Assert.Equal("test", (await JsonAsync("pipeline", "show", run, "--json")).GetProperty("steps")[0].Str("id"));
        Assert.Equal(["ci"], (await JsonAsync("webhook", "list", "json", "--json")).EnumerateArray().Select(w => w.Str("pipeline")));
        Assert.Equal(JsonValueKind.Array, (await JsonAsync("runners", "--json")).ValueKind);
        Assert.Contains((await JsonAsync("token", "list", "--json")).EnumerateArray(), t => t.Str("kind") == "owner");
        Assert.Contains((await JsonAsync("user", "list", "--json")).EnumerateArray(), u => u.GetProperty("owner").GetBoolean());
        Assert.Equal(JsonValueKind.Array, (await JsonAsync("tests", "json", "--json")).ValueKind);
        Assert.Equal(JsonValueKind.Array, (await JsonAsync("secret", "list", "--json")).ValueKind);
    }

    private async Task<JsonElement> JsonAsync(params string[] args) =>
        JsonDocument.Parse((await Cli.RunAsync(Work.Path, args)).AssertSucceeded().Output).RootElement;

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
