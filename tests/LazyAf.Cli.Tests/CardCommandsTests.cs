using System.Net.Http.Json;
using System.Text.Json;
using LazyAf.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace LazyAf.Cli.Tests;

/// <summary>
/// <c>lazyaf cards</c> and <c>lazyaf card …</c> against the real host. Running cards is tested in <see cref="RunTests"/>;
/// here approve and reject are tested where the machine refuses them.
/// </summary>
public sealed class CardCommandsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly LazyAfHost _host = fixture.Host;
    private readonly LazyafCli _cli = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Created_script_docker_and_agent_cards_are_listed_in_order_and_shown()
    {
        var repo = await NewRepoAsync();

        var script = await CreateAsync(repo, "--title", "Run the tests", "--script", "make test", "--requires", "linux", "--requires", "gpu:1");
        var docker = await CreateAsync(repo, "--title", "Build the image", "--docker", "node:22", "--command", "npm ci && npm test", "--branch", "card/docker");
        var agent = await CreateAsync(repo, "--title", "Add a login page", "--description", "With a form.", "--agent", "claude-code", "--model", "opus",
            "--prompt-template", "Do: {{title}}", "--base", "main", "--auto-start");

        var listed = (await _cli.RunAsync(_work.Path, "cards", repo)).AssertSucceeded();
        var lines = Lines(listed.Output);
        Assert.Equal(["ID", "STATUS", "TITLE", "BRANCH"], Cells(lines[0]));
        Assert.Equal([script, docker, agent], lines.Skip(1).Select(l => Cells(l)[0]));
        Assert.Equal([script, "todo", "Run", "the", "tests"], Cells(lines[1]));
        Assert.Equal([docker, "todo", "Build", "the", "image", "card/docker"], Cells(lines[2]));

        Assert.Equal(new Dictionary<string, string> { ["command"] = "make test" }, StepConfig(await GetCardAsync(script)));
        var dockerCard = await GetCardAsync(docker);
        Assert.Equal(new Dictionary<string, string> { ["image"] = "node:22", ["command"] = "npm ci && npm test" }, StepConfig(dockerCard));
        Assert.Equal("card/docker", dockerCard.GetProperty("branch_name").GetString());
        var agentCard = await GetCardAsync(agent);
        Assert.Equal(new Dictionary<string, string> { ["agent"] = "claude-code", ["model"] = "opus", ["prompt_template"] = "Do: {{title}}" }, StepConfig(agentCard));
        Assert.Equal(("With a form.", "main", true), (agentCard.GetProperty("description").GetString(), agentCard.GetProperty("base_branch").GetString(),
            agentCard.GetProperty("auto_start").GetBoolean()));
        Assert.Equal(["linux", "gpu:1"], (await GetCardAsync(script)).GetProperty("requires").EnumerateArray().Select(l => l.GetString()));

        var shown = Lines((await _cli.RunAsync(_work.Path, "card", "show", docker)).AssertSucceeded().Output);
        Assert.Equal("Build the image", shown[0]);
        Assert.Contains(shown, l => l.Trim() == "status:      todo");
        Assert.Contains(shown, l => l.Trim() == "step:        docker node:22: npm ci && npm test");
        Assert.Contains(shown, l => l.Trim() == "branch:      card/docker");
        Assert.Contains(shown, l => l.Trim() == "can:         start -> in_progress");
        Assert.Contains("No status changes yet.", shown);
        var agentShown = (await _cli.RunAsync(_work.Path, "card", "show", agent)).AssertSucceeded().Output;
        Assert.Contains("step:        agent claude-code, model opus", agentShown, StringComparison.Ordinal);
        Assert.Contains("With a form.", agentShown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cards_status_option_narrows_the_list_and_refuses_an_unknown_status()
    {
        var repo = await NewRepoAsync();
        var id = await CreateAsync(repo, "--title", "One", "--script", "true");

        var todo = Lines((await _cli.RunAsync(_work.Path, "cards", repo, "--status", "todo")).AssertSucceeded().Output);
        var review = (await _cli.RunAsync(_work.Path, "cards", repo, "--status", "in_review")).AssertSucceeded();
        var bogus = await _cli.RunAsync(_work.Path, "cards", repo, "--status", "doing");

        Assert.Equal(id, Cells(Assert.Single(todo.Skip(1)))[0]);
        Assert.Equal($"{repo} has no in_review cards", review.Output.Trim());
        Assert.NotEqual(0, bogus.ExitCode);
        Assert.Contains("doing", bogus.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("--script", "true", "--agent", "codex")]
    [InlineData("--docker", "node:22")]
    [InlineData("--script", "true", "--model", "opus")]
    public async Task Create_without_exactly_one_complete_step_is_a_usage_error_and_creates_nothing(params string[] step)
    {
        var repo = await NewRepoAsync();

        var result = await _cli.RunAsync(_work.Path, ["card", "create", repo, "--title", "T", .. step]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--", result.Error, StringComparison.Ordinal);
        Assert.Contains("has no cards yet", (await _cli.RunAsync(_work.Path, "cards", repo)).AssertSucceeded().Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    public async Task Create_with_an_empty_or_too_long_title_fails_with_one_line_naming_the_title(int length)
    {
        var repo = await NewRepoAsync();

        var line = (await _cli.RunAsync(_work.Path, "card", "create", repo, "--title", new string('x', length), "--script", "true")).AssertFailedWithOneLine();

        Assert.StartsWith("lazyaf: The request is invalid: title ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Create_with_a_bad_agent_names_the_field_in_one_line()
    {
        var repo = await NewRepoAsync();

        var line = (await _cli.RunAsync(_work.Path, "card", "create", repo, "--title", "T", "--agent", "hal")).AssertFailedWithOneLine();

        Assert.StartsWith("lazyaf: The request is invalid: step_config.agent must be one of", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cards", "nope")]
    [InlineData("card", "create", "nope", "--title", "T", "--script", "true")]
    public async Task Card_commands_on_an_unknown_repo_fail_with_one_line(params string[] args)
    {
        var line = (await _cli.RunAsync(_work.Path, args)).AssertFailedWithOneLine();

        Assert.Equal("lazyaf: no repo named 'nope' (lazyaf repos lists them)", line);
    }

    [Theory]
    [InlineData("show")]
    [InlineData("approve")]
    [InlineData("reject")]
    [InlineData("start")]
    [InlineData("retry")]
    public async Task Card_commands_on_an_unknown_card_fail_with_one_line(string command)
    {
        const string Unknown = "0123456789abcdef0123456789abcdef";

        Assert.Equal($"lazyaf: no card '{Unknown}'", (await _cli.RunAsync(_work.Path, "card", command, Unknown)).AssertFailedWithOneLine());
        Assert.Equal("lazyaf: no card 'not an id'", (await _cli.RunAsync(_work.Path, "card", command, "not an id")).AssertFailedWithOneLine());
    }

    [Fact]
    public async Task Start_runs_a_todo_card_and_retry_approve_and_reject_are_refused_for_a_todo_card()
    {
        var repo = await NewRepoAsync();
        var started = await CreateAsync(repo, "--title", "Go", "--script", "true");
        var waiting = await CreateAsync(repo, "--title", "Waiting", "--script", "true", "--branch", "card/waiting");

        var start = await _cli.RunAsync(_work.Path, "card", "start", started);
        var retry = (await _cli.RunAsync(_work.Path, "card", "retry", waiting)).AssertFailedWithOneLine();
        var approve = (await _cli.RunAsync(_work.Path, "card", "approve", waiting)).AssertFailedWithOneLine();
        var approveInto = (await _cli.RunAsync(_work.Path, "card", "approve", waiting, "--target", "main")).AssertFailedWithOneLine();
        var reject = (await _cli.RunAsync(_work.Path, "card", "reject", waiting, "--reason", "not yet")).AssertFailedWithOneLine();

        var attempt = Assert.Single((await GetCardAsync(started)).GetProperty("attempts").EnumerateArray());
        var (execution, branch) = (attempt.Str("execution_id"), attempt.Str("branch"));
        Assert.Equal([execution, $"Started card {started}: attempt 1 on branch {branch} (follow with: lazyaf logs {execution} -f)"],
            Lines(start.AssertSucceeded().Output));
        Assert.Equal("lazyaf: Transition not allowed: Cannot retry a card that is todo.", retry);
        Assert.Equal("lazyaf: Transition not allowed: Cannot approve a card that is todo.", approve);
        Assert.Equal(approve, approveInto);
        Assert.Equal("lazyaf: Transition not allowed: Cannot reject a card that is todo.", reject);
        Assert.Equal("todo", (await GetCardAsync(waiting)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Approve_with_a_merge_conflict_names_the_files_in_one_line()
    {
        // A stand-in answers what ApproveCardEndpoint answers on a conflict, without running two cards that conflict (a whole id: no lookup).
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        await using var server = builder.Build();
        server.MapPost("/api/cards/{id}/approve", (string id) => Results.Problem(
            statusCode: StatusCodes.Status409Conflict,
            title: "Merge conflict",
            detail: $"card/{id} conflicts with main in 2 file(s); nothing was changed.",
            type: "urn:lazyaf:problem:conflict",
            extensions: new Dictionary<string, object?> { ["conflicting_paths"] = new[] { "a.txt", "src/f.cs" }, ["target_branch"] = "main" }));
        await server.StartAsync();

        var line = (await new LazyafCli(server.Urls.First()).RunAsync(_work.Path, "card", "approve", "0123456789abcdef0123456789abcdef")).AssertFailedWithOneLine();

        Assert.Equal("lazyaf: merge conflict in 2 file(s): a.txt, src/f.cs", line);
    }

    private async Task<string> NewRepoAsync()
    {
        var name = "r" + Guid.NewGuid().ToString("N")[..10];
        await _host.CreateRepoAsync(name);
        return name;
    }

    /// <summary>Runs <c>card create</c> and returns the id it printed on its first line.</summary>
    private async Task<string> CreateAsync(string repo, params string[] options)
    {
        var result = (await _cli.RunAsync(_work.Path, ["card", "create", repo, .. options])).AssertSucceeded();
        var id = Lines(result.Output)[0];
        Assert.Matches("^[0-9a-f]{32}$", id);
        return id;
    }

    private Task<JsonElement> GetCardAsync(string id) => _host.Client.GetFromJsonAsync<JsonElement>($"/api/cards/{id}", LazyAfHost.Json);

    /// <summary>The card's step_config as sent: only string settings, so a null the CLI failed to leave out fails the comparison.</summary>
    private static Dictionary<string, string> StepConfig(JsonElement card) =>
        card.GetProperty("step_config").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText());

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static string[] Cells(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
