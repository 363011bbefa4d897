using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Cards.Tests;

public sealed class CardsApiTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    private readonly Board _board = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    [Fact]
    public async Task Create_list_edit_and_delete_cards()
    {
        var repo = await fixture.Host.CreateRepoAsync("cards-crud");
        var first = await _board.CreateCardAsync(repo, "First", new { description = "do it", requires = new[] { "gpu", "arch:arm64" } });
        var second = await _board.CreateCardAsync(repo, "Second", new
        {
            step_type = "agent",
            step_config = new { agent = "claude-code", model = "sonnet", agent_files = new[] { "reviewer" } },
        });
        await _board.CreateCardAsync(repo, "Third", new { step_type = "docker", step_config = new { image = "alpine", command = "true" } });

        var cards = await (await Api.GetAsync($"/api/repos/{repo}/cards")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["First", "Second", "Third"], cards.EnumerateArray().Select(c => c.Str("title")));
        Assert.Equal([0, 1, 2], cards.EnumerateArray().Select(c => c.GetProperty("position").GetInt32()));

        var card = await _board.GetAsync(first);
        Assert.Equal("todo", card.Str("status"));
        Assert.Equal("make test", card.GetProperty("step_config").Str("command"));
        Assert.Equal(["gpu", "arch:arm64"], card.GetProperty("requires").EnumerateArray().Select(l => l.GetString()));
        Assert.Equal("start", card.GetProperty("allowed_transitions")[0].Str("trigger"));

        var edited = await (await Api.PatchJsonAsync($"/api/cards/{second}", new { title = "Second, renamed", position = 7, step_config = new { agent = "gemini" } })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Second, renamed", edited.Str("title"));
        Assert.Equal(7, edited.GetProperty("position").GetInt32());
        Assert.Equal("gemini", edited.GetProperty("step_config").Str("agent"));

        Assert.Equal(HttpStatusCode.NoContent, (await Api.DeleteAsync($"/api/cards/{first}")).StatusCode);
        await (await Api.GetAsync($"/api/cards/{first}")).ProblemAsync(HttpStatusCode.NotFound);
        var todo = await (await Api.GetAsync($"/api/repos/{repo}/cards?status=todo")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, todo.GetArrayLength());
    }

    [Theory]
    [InlineData("script", "{}", "step_config.command")]
    [InlineData("script", "{\"command\": 42}", "step_config.command")]
    [InlineData("script", "{\"command\": \"x\", \"comand\": \"typo\"}", "step_config.comand")]
    [InlineData("docker", "{\"command\": \"x\"}", "step_config.image")]
    [InlineData("docker", "{\"image\": \"alpine\"}", "step_config.command")]
    [InlineData("agent", "{}", "step_config.agent")]
    [InlineData("agent", "{\"agent\": \"copilot\"}", "step_config.agent")]
    [InlineData("agent", "{\"agent\": \"command\"}", "step_config.command")]
    [InlineData("agent", "{\"agent\": \"codex\", \"agent_files\": \"x\"}", "step_config.agent_files")]
    [InlineData("script", "{\"command\": \"x\", \"env\": {\"A\": 1}}", "step_config.env")]
    [InlineData("script", "{\"command\": \"x\", \"timeout_seconds\": 1e20}", "step_config.timeout_seconds")]
    [InlineData("script", "{\"command\": \"x\", \"timeout_seconds\": 0}", "step_config.timeout_seconds")]
    [InlineData("docker", "{\"image\": \"a\", \"command\": \"x\", \"cpus\": \"two\"}", "step_config.cpus")]
    [InlineData("agent", "{\"agent\": \"codex\", \"max_turns\": 2.5}", "step_config.max_turns")]
    [InlineData("agent", "{\"agent\": \"codex\", \"system_prompt\": \"set by LazyAF, not by a card\"}", "step_config.system_prompt")]
    [InlineData("lambda", "{}", "step_type")]
    [InlineData("script", "{\"command\": \"x\", \"commit\": [\"../x\"]}", "step_config.commit")]
    [InlineData("script", "\"make\"", "step_config")]
    public async Task Invalid_step_config_is_a_400_naming_the_field(string stepType, string config, string field)
    {
        var repo = await fixture.Host.CreateRepoAsync("bad-step-" + Guid.NewGuid().ToString("N")[..8]);
        using var content = new StringContent($$"""{"title": "t", "step_type": "{{stepType}}", "step_config": {{config}}}""", System.Text.Encoding.UTF8, "application/json");

        var problem = await (await Api.PostAsync($"/api/repos/{repo}/cards", content)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task An_unknown_field_on_create_or_edit_is_a_400_naming_it_and_creates_nothing()
    {
        var repo = await fixture.Host.CreateRepoAsync("unknown-field-" + Guid.NewGuid().ToString("N")[..8]);

        var problem = await (await Api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "t", step_type = "script", step_config = new { command = "x" }, autostart = true }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.EndsWith("'autostart' is not a field of this request.", problem.Str("detail"), StringComparison.Ordinal);
        Assert.Empty((await (await Api.GetAsync($"/api/repos/{repo}/cards")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        var card = await _board.CreateCardAsync(repo);
        problem = await (await Api.PatchJsonAsync($"/api/cards/{card}", new { titel = "typo" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("'titel' is not a field of this request.", problem.Str("detail"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_base_branch_the_repo_does_not_have_is_a_400_but_its_default_branch_may_come_later()
    {
        var name = "no-base-" + Guid.NewGuid().ToString("N")[..8];
        var repo = await fixture.Host.CreateRepoAsync(name);

        var problem = await (await Api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "t", step_type = "script", step_config = new { command = "x" }, base_branch = "nosuch" }))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal([$"repo {name} has no branch 'nosuch'"], problem.GetProperty("errors").GetProperty("base_branch").EnumerateArray().Select(e => e.GetString()));
        await (await Api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "t", step_type = "script", step_config = new { command = "x" }, base_branch = "main" }))
            .JsonAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("has space")]
    [InlineData("")]
    public async Task Requires_holds_only_runner_labels_on_create_and_edit(string label)
    {
        var repo = await fixture.Host.CreateRepoAsync("bad-label-" + Guid.NewGuid().ToString("N")[..8]);
        var problem = await (await Api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = "t", step_type = "script", step_config = new { command = "x" }, requires = new[] { label } }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("requires", out _), problem.ToString());

        var card = await _board.CreateCardAsync(repo);
        problem = await (await Api.PatchJsonAsync($"/api/cards/{card}", new { requires = new[] { "os=linux", label } })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("requires", out _), problem.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Empty_titles_are_refused(string? title)
    {
        var repo = await fixture.Host.CreateRepoAsync("empty-title-" + Guid.NewGuid().ToString("N")[..8]);
        var problem = await (await Api.PostJsonAsync($"/api/repos/{repo}/cards", new { title, step_type = "script", step_config = new { command = "x" } })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("title", out _));
    }

    [Fact]
    public async Task Titles_over_200_characters_are_refused_on_create_and_edit()
    {
        var repo = await fixture.Host.CreateRepoAsync("long-title");
        await (await Api.PostJsonAsync($"/api/repos/{repo}/cards", new { title = new string('x', 201), step_type = "script", step_config = new { command = "x" } })).ProblemAsync(HttpStatusCode.BadRequest);
        var card = await _board.CreateCardAsync(repo, new string('x', 200));
        await (await Api.PatchJsonAsync($"/api/cards/{card}", new { title = new string('y', 201) })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new string('x', 200), (await _board.GetAsync(card)).Str("title"));
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        const string unknown = "0123456789abcdef0123456789abcdef";
        var repo = await fixture.Host.CreateRepoAsync("unknown-ids");
        await (await Api.GetAsync($"/api/repos/{unknown}/cards")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.PostJsonAsync($"/api/repos/{unknown}/cards", new { title = "t", step_type = "script", step_config = new { command = "x" } })).ProblemAsync(HttpStatusCode.NotFound);
        foreach (var id in new[] { unknown, "not-an-id" })
        {
            await (await Api.GetAsync($"/api/cards/{id}")).ProblemAsync(HttpStatusCode.NotFound);
            await (await Api.PatchJsonAsync($"/api/cards/{id}", new { title = "x" })).ProblemAsync(HttpStatusCode.NotFound);
            await (await Api.DeleteAsync($"/api/cards/{id}")).ProblemAsync(HttpStatusCode.NotFound);
            await (await Api.GetAsync($"/api/cards/{id}/events")).ProblemAsync(HttpStatusCode.NotFound);
            await (await Api.GetAsync($"/api/cards/{id}/diff")).ProblemAsync(HttpStatusCode.NotFound);
            foreach (var action in new[] { "start", "retry", "approve", "reject" })
                await (await Api.PostJsonAsync($"/api/cards/{id}/{action}", new { })).ProblemAsync(HttpStatusCode.NotFound);
        }
        var card = await _board.CreateCardAsync(repo);
        await (await Api.PostJsonAsync($"/api/cards/{card}/dependencies", new { blocked_by = new[] { unknown } })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("done")]
    [InlineData("in_review")]
    [InlineData("in_progress")]
    [InlineData("failed")]
    public async Task Patching_status_to_a_state_the_machine_does_not_allow_is_a_409_with_the_current_state_and_the_allowed_moves(string status)
    {
        var repo = await fixture.Host.CreateRepoAsync("patch-status-" + status);
        var card = await _board.CreateCardAsync(repo);

        var problem = await (await Api.PatchJsonAsync($"/api/cards/{card}", new { status })).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("todo", problem.Str("current_status"));
        Assert.Equal("in_progress", problem.GetProperty("allowed")[0].Str("to"));
        Assert.Equal("todo", (await _board.GetAsync(card)).Str("status"));
        await (await Api.PatchJsonAsync($"/api/cards/{card}", new { status = "paused" })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Patching_a_card_in_review_back_to_todo_is_the_reject_move()
    {
        var repo = await fixture.Host.CreateRepoAsync("patch-reject");
        var card = await _board.CreateCardAsync(repo);
        await _board.ToReviewAsync(card, "lazyaf/card-x");

        var patched = await (await Api.PatchJsonAsync($"/api/cards/{card}", new { status = "todo" })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("todo", patched.Str("status"));
        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("reject", events[events.GetArrayLength() - 1].Str("trigger"));
    }

    [Fact]
    public async Task The_history_names_the_user_that_moved_the_card_with_the_client_as_a_label()
    {
        var repo = await fixture.Host.CreateRepoAsync("actor");
        var card = await _board.CreateCardAsync(repo);
        await _board.ToReviewAsync(card, "b");
        using var reject = new HttpRequestMessage(HttpMethod.Post, $"/api/cards/{card}/reject");
        reject.Headers.Add("X-LazyAF-Actor", "board");

        await (await Api.SendAsync(reject)).JsonAsync(HttpStatusCode.OK);

        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["test-executor", "test-executor", "owner via board"], events.EnumerateArray().Select(e => e.Str("actor")));
    }

    [Fact]
    public async Task Cards_are_listed_in_the_order_they_were_added_whatever_their_column()
    {
        var repo = await fixture.Host.CreateRepoAsync("board-order");
        var failed = await _board.CreateCardAsync(repo, "failed");
        var review = await _board.CreateCardAsync(repo, "review");
        await _board.CreateCardAsync(repo, "todo");
        await _board.FailAsync(failed);
        await _board.ToReviewAsync(review, "b");

        var cards = await (await Api.GetAsync($"/api/repos/{repo}/cards")).JsonAsync(HttpStatusCode.OK);

        // A stable order is what lets a client page while cards move between columns; the board sorts by column itself.
        Assert.Equal(["failed", "in_review", "todo"], cards.EnumerateArray().Select(c => c.Str("status")));
    }

    [Fact]
    public async Task Start_opens_an_attempt_and_requests_an_execution_and_retry_follows_the_machine()
    {
        var repo = await fixture.Host.CreateRepoAsync("start-attempt");
        var card = await _board.CreateCardAsync(repo);
        await (await Api.PostAsync($"/api/cards/{card}/retry", null)).ProblemAsync(HttpStatusCode.Conflict);

        using var start = await Api.PostAsync($"/api/cards/{card}/start", null);
        var started = await start.JsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("in_progress", started.Str("status"));
        var attempt = Assert.Single(started.GetProperty("attempts").EnumerateArray());
        Assert.Equal(1, attempt.GetProperty("number").GetInt32());
        Assert.Equal($"/api/executions/{attempt.Str("execution_id")}", start.Headers.Location!.ToString());
        Assert.Equal(started.Str("branch_name"), attempt.Str("branch"));
        Assert.StartsWith("lazyaf/card-", started.Str("branch_name"), StringComparison.Ordinal);
        // The execution exists by the time the client hears of it.
        var execution = await (await Api.GetAsync(start.Headers.Location)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal($"card:{card}:attempt:1", execution.Str("idempotency_key"));
        await (await Api.PostAsync($"/api/cards/{card}/start", null)).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_running_card_cannot_be_deleted()
    {
        var repo = await fixture.Host.CreateRepoAsync("delete-running");
        var card = await _board.CreateCardAsync(repo);
        await _board.StartAsync(card);

        var problem = await (await Api.DeleteAsync($"/api/cards/{card}")).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal("in_progress", problem.Str("current_status"));
        Assert.Equal("in_progress", (await _board.GetAsync(card)).Str("status"));
    }
}
