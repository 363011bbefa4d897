using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf webhook add|list</c> against a real host.</summary>
public sealed class WebhookCommandTests : CliTest
{
    [Fact]
    public async Task Webhook_add_prints_the_url_and_list_shows_it_without_the_secret()
    {
        await DeployPipelineAsync(await Host.CreateRepoAsync("hooked"));

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
        await DeployPipelineAsync(await Host.CreateRepoAsync("no-secret"));

        var line = (await Cli.RunAsync(Work.Path, "webhook", "add", "no-secret", "deploy", "--provider", "github")).AssertFailedWithOneLine();

        Assert.Contains("secret", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_webhook_for_a_pipeline_the_repo_does_not_have_is_refused_in_one_line_naming_it()
    {
        await DeployPipelineAsync(await Host.CreateRepoAsync("typo"));

        var line = (await Cli.RunAsync(Work.Path, "webhook", "add", "typo", "deplyo")).AssertFailedWithOneLine();

        Assert.Contains("no pipeline 'deplyo'", line, StringComparison.Ordinal);
        Assert.Contains("it has deploy", line, StringComparison.Ordinal);
    }

    private async Task DeployPipelineAsync(string repoId) =>
        await (await Host.Client.PostJsonAsync($"/api/repos/{repoId}/pipelines",
            new { yaml = "name: deploy\nsteps:\n  - id: go\n    config: {command: \"echo deploy\"}\n" })).JsonAsync(System.Net.HttpStatusCode.Created);
}
