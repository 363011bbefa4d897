namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf webhook add|list</c> against a real host.</summary>
public sealed class WebhookCommandTests : CliTest
{
    [Fact]
    public async Task Webhook_add_prints_the_url_and_list_shows_it_without_the_secret()
    {
        await Host.CreateRepoAsync("hooked");

        var added = (await Cli.RunAsync(Work.Path, "webhook", "add", "hooked", "deploy", "--provider", "github", "--secret", "s3cret")).AssertSucceeded();
        var listed = (await Cli.RunAsync(Work.Path, "webhook", "list", "hooked")).AssertSucceeded();

        var url = added.Output.Trim();
        Assert.StartsWith(Host.BaseUrl + "/api/webhooks/", url, StringComparison.Ordinal);
        var lines = listed.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains("deploy", lines[1], StringComparison.Ordinal);
        Assert.Contains("github", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(url, lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", listed.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_github_webhook_without_a_secret_is_refused_in_one_line()
    {
        await Host.CreateRepoAsync("no-secret");

        var line = (await Cli.RunAsync(Work.Path, "webhook", "add", "no-secret", "deploy", "--provider", "github")).AssertFailedWithOneLine();

        Assert.Contains("secret", line, StringComparison.Ordinal);
    }
}
