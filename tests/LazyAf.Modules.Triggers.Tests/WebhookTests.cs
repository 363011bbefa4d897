using System.Net;
using System.Text.Json;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Testing;
using static LazyAf.Modules.Triggers.Tests.FakePipelines;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>Webhook registration and deliveries per provider, against pipelines declared by the test.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "It's a Secret to Everybody";
    private readonly FakePipelines _pipelines = new();
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;
    private Webhooks _webhooks = null!;

    public Task InitializeAsync()
    {
        _host = StartHost(_pipelines);
        _webhooks = new Webhooks(_host.Client);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_GitHub_push_with_a_valid_signature_runs_and_a_bad_signature_is_401_and_runs_nothing()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "gh");
        _pipelines.Define(repo.Id, "ci", Trigger(TriggerKinds.Webhook));
        var (token, url) = await _webhooks.AddAsync(repo.Id, "ci", "github", Secret);
        Assert.EndsWith($"/api/webhooks/{token}", url, StringComparison.Ordinal);
        var sha = (await repo.RemoteShaAsync("main"))!;

        var forged = await (await _webhooks.GitHubPushAsync(token, "not the secret", "main", sha)).ProblemAsync(HttpStatusCode.Unauthorized);
        var unsigned = await (await _webhooks.SendAsync(token, "{}", new() { ["X-GitHub-Event"] = "push" })).ProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("X-Hub-Signature-256", forged.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("urn:lazyaf:problem:unauthorized", unsigned.Str("type"));

        var accepted = await (await _webhooks.GitHubPushAsync(token, Secret, "main", sha)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(("ci", "main", sha, "webhook"), (accepted.Str("pipeline"), accepted.Str("branch"), accepted.Str("commit_sha"), accepted.Str("kind")));
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => "no run");
        var run = Assert.Single(_pipelines.RunsOf(repo.Id)).Request;
        Assert.Equal((sha, accepted.Str("id")), (run.Commit, run.TriggerId));
    }

    [Fact]
    public async Task GitHub_pings_other_events_tags_and_deletions_answer_200_and_run_nothing()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "gh-ping");
        _pipelines.Define(repo.Id, "ci");
        var (token, _) = await _webhooks.AddAsync(repo.Id, "ci", "github", Secret);
        async Task<JsonElement> DeliverAsync(string gitHubEvent, string body) =>
            await (await _webhooks.SendAsync(token, body, new()
            {
                ["X-GitHub-Event"] = gitHubEvent,
                ["X-Hub-Signature-256"] = Features.Webhooks.WebhookSignature.Sign(Secret, System.Text.Encoding.UTF8.GetBytes(body)),
            })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("pong", (await DeliverAsync("ping", """{"zen":"Design for failure."}""")).Str("reason"));
        Assert.Equal("ignored", (await DeliverAsync("issues", """{"action":"opened"}""")).Str("status"));
        Assert.Contains("not a branch", (await DeliverAsync("push", """{"ref":"refs/tags/v1","after":"1111111111111111111111111111111111111111"}""")).Str("reason"), StringComparison.Ordinal);
        Assert.Contains("deleted", (await DeliverAsync("push", $$"""{"ref":"refs/heads/main","after":"{{new string('0', 40)}}"}""")).Str("reason"), StringComparison.Ordinal);

        await PushTriggerTests.AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 0);
        Assert.Empty(await Firings.OfAsync(_host.Client, repo.Id));
    }

    [Fact]
    public async Task A_GitLab_push_needs_its_token_and_runs_the_checkout_sha()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "gl");
        _pipelines.Define(repo.Id, "ci");
        var (token, _) = await _webhooks.AddAsync(repo.Id, "ci", "gitlab", Secret);
        var sha = (await repo.RemoteShaAsync("main"))!;
        var body = $$"""{"object_kind":"push","ref":"refs/heads/main","checkout_sha":"{{sha}}"}""";

        await (await _webhooks.SendAsync(token, body, new() { ["X-Gitlab-Token"] = "wrong" })).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await _webhooks.SendAsync(token, body, new() { ["X-Gitlab-Token"] = Secret })).JsonAsync(HttpStatusCode.Accepted);

        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => "no run");
        Assert.Equal(sha, _pipelines.RunsOf(repo.Id)[0].Request.Commit);
    }

    [Fact]
    public async Task A_generic_delivery_runs_the_branch_head_with_params_once_per_commit_unless_forced()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "generic");
        _pipelines.Define(repo.Id, "deploy");
        var (token, _) = await _webhooks.AddAsync(repo.Id, "deploy");
        var head = (await repo.RemoteShaAsync("main"))!;

        var first = await (await _webhooks.SendAsync(token, """{"branch":"main","params":{"ENV":"staging"}}""")).JsonAsync(HttpStatusCode.Accepted);
        var again = await (await _webhooks.SendAsync(token, """{"branch":"main"}""")).JsonAsync(HttpStatusCode.OK);
        var forced = await (await _webhooks.SendAsync(token, """{"branch":"main"}""", query: "?force=true")).JsonAsync(HttpStatusCode.Accepted);
        await (await _webhooks.SendAsync(token, """{"branch":"main","force":true}""")).JsonAsync(HttpStatusCode.Accepted);

        Assert.Equal((head, true), (first.Str("commit_sha"), first.GetProperty("created").GetBoolean()));
        Assert.Equal((first.Str("id"), false), (again.Str("id"), again.GetProperty("created").GetBoolean()));
        Assert.True(forced.GetProperty("forced").GetBoolean());
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 3, () => string.Join(", ", _pipelines.RunsOf(repo.Id)));
        Assert.Equal("staging", _pipelines.RunsOf(repo.Id)[0].Request.Params["ENV"]);
        await PushTriggerTests.AssertStillAsync(_host, () => _pipelines.RunsOf(repo.Id).Count == 3);
    }

    [Fact]
    public async Task A_push_for_a_branch_the_repo_lacks_is_422_and_does_not_take_the_real_branchs_run_of_that_commit()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "gh-nope");
        _pipelines.Define(repo.Id, "ci", Trigger(TriggerKinds.Webhook));
        var (token, _) = await _webhooks.AddAsync(repo.Id, "ci", "github", Secret);
        var sha = (await repo.RemoteShaAsync("main"))!;

        var refused = await (await _webhooks.GitHubPushAsync(token, Secret, "nope", sha)).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var accepted = await (await _webhooks.GitHubPushAsync(token, Secret, "main", sha)).JsonAsync(HttpStatusCode.Accepted);

        Assert.Contains("no branch 'nope'", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal(("main", sha), (accepted.Str("branch"), accepted.Str("commit_sha")));
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => "no run");
        Assert.Equal("main", Assert.Single(await Firings.OfAsync(_host.Client, repo.Id)).Str("branch"));
    }

    [Fact]
    public async Task One_commit_on_two_branches_runs_once_per_branch()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "two-refs");
        _pipelines.Define(repo.Id, "ci");
        var (token, _) = await _webhooks.AddAsync(repo.Id, "ci");
        var sha = (await repo.RemoteShaAsync("main"))!;
        await repo.PushAsync($"{sha}:refs/heads/release");

        var onMain = await (await _webhooks.SendAsync(token, """{"branch":"main"}""")).JsonAsync(HttpStatusCode.Accepted);
        var onRelease = await (await _webhooks.SendAsync(token, """{"branch":"release"}""")).JsonAsync(HttpStatusCode.Accepted);
        await (await _webhooks.SendAsync(token, """{"branch":"release"}""")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal((sha, sha), (onMain.Str("commit_sha"), onRelease.Str("commit_sha")));
        Assert.NotEqual(onMain.Str("id"), onRelease.Str("id"));
        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 2, () => string.Join(", ", _pipelines.RunsOf(repo.Id)));
    }

    [Fact]
    public async Task A_generic_webhook_with_a_secret_needs_the_body_signed_with_it()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "generic-signed");
        _pipelines.Define(repo.Id, "ci");
        var (token, _) = await _webhooks.AddAsync(repo.Id, "ci", secret: Secret);
        const string body = """{"branch":"main"}""";

        await (await _webhooks.SendAsync(token, body)).ProblemAsync(HttpStatusCode.Unauthorized);
        var signature = Features.Webhooks.WebhookSignature.Sign(Secret, System.Text.Encoding.UTF8.GetBytes(body));
        await (await _webhooks.SendAsync(token, body, new() { ["X-Hub-Signature-256"] = signature })).JsonAsync(HttpStatusCode.Accepted);

        await Eventually.HoldsAsync(() => _pipelines.RunsOf(repo.Id).Count == 1, () => "no run");
    }

    [Fact]
    public async Task Unknown_tokens_are_404_and_bad_bodies_are_400_problems()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "bad-input");
        _pipelines.Define(repo.Id, "ci");
        var (token, _) = await _webhooks.AddAsync(repo.Id, "ci");

        await (await _webhooks.SendAsync("no-such-token", """{"branch":"main"}""")).ProblemAsync(HttpStatusCode.NotFound);
        await (await _webhooks.SendAsync(token, "{not json")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await _webhooks.SendAsync(token, """["main"]""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await _webhooks.SendAsync(token, """{"branch":42}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await _webhooks.SendAsync(token, """{"branch":"main","commit":"; rm -rf /"}""")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await _webhooks.SendAsync(token, """{"branch":"no-such-branch"}""")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
        var unknown = await (await _host.Client.PostJsonAsync($"/api/repos/{repo.Id}/webhooks", new { pipeline = "not-defined" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no pipeline 'not-defined' on main", unknown.GetProperty("errors").GetProperty("pipeline")[0].GetString(), StringComparison.Ordinal);
        Assert.Contains("it has ci", unknown.GetProperty("errors").GetProperty("pipeline")[0].GetString(), StringComparison.Ordinal);

        Assert.Empty(await Firings.OfAsync(_host.Client, repo.Id));
    }

    [Fact]
    public async Task The_OpenAPI_document_names_summarises_and_tags_every_triggers_endpoint()
    {
        var document = await (await _host.Client.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);

        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject())
            .Where(op => op.Value.TryGetProperty("tags", out var tags) && tags.EnumerateArray().Any(t => t.GetString() == "Triggers"))
            .ToList();
        Assert.Equal(["AddWebhook", "DeleteWebhook", "GetTriggerFiring", "ListTriggerFirings", "ListWebhooks", "ReceiveWebhook"],
            operations.Select(op => op.Value.Str("operationId")).Order(StringComparer.Ordinal));
        Assert.All(operations, op => Assert.False(string.IsNullOrWhiteSpace(op.Value.Str("summary"))));
    }

    [Fact]
    public async Task Secrets_are_required_for_github_and_gitlab_and_never_shown_again()
    {
        var repo = await _host.CreateRepoAsync("secrets");
        _pipelines.Define(repo, "ci");
        await (await _host.Client.PostJsonAsync($"/api/repos/{repo}/webhooks", new { pipeline = "ci", provider = "github" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await _host.Client.PostJsonAsync($"/api/repos/{repo}/webhooks", new { pipeline = "ci", provider = "bitbucket", secret = "s" })).ProblemAsync(HttpStatusCode.BadRequest);
        await _webhooks.AddAsync(repo, "ci", "github", Secret);

        var listed = await (await _host.Client.GetAsync($"/api/repos/{repo}/webhooks")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(Secret, listed, StringComparison.Ordinal);
        var hook = JsonDocument.Parse(listed).RootElement[0];
        Assert.True(hook.GetProperty("has_secret").GetBoolean());
        await (await _host.Client.DeleteAsync($"/api/repos/{repo}/webhooks/{hook.Str("id")}")).JsonAsync(HttpStatusCode.NoContent);
        await (await _webhooks.SendAsync(hook.Str("token"), "{}")).ProblemAsync(HttpStatusCode.NotFound);
    }
}
