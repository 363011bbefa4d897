using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using LazyAf.Modules.Reports.Handlers;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Reports.Tests;

/// <summary>
/// Acceptance 3: an artifact a step builds downloads byte-identical, a range request returns the right bytes, and
/// retention removes it after its time. A glob out of the workspace and an artifact over the cap are refused with why.
/// </summary>
public sealed class ArtifactTests(ArtifactTests.SmallCapHost fixture) : IClassFixture<ArtifactTests.SmallCapHost>, IDisposable
{
    private const int MaxArtifactBytes = 1_000_000;

    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    /// <summary>A host whose artifacts may take at most 1 MB each.</summary>
    public sealed class SmallCapHost : IAsyncLifetime
    {
        public LazyAfHost Host { get; private set; } = null!;

        public Task InitializeAsync()
        {
            Host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Reports:MaxArtifactBytes"] = MaxArtifactBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            return Task.CompletedTask;
        }

        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task An_artifact_a_step_builds_downloads_byte_identical_serves_ranges_and_is_removed_after_its_retention()
    {
        var run = await RunAsync("artifact-build", """
            name: build
            steps:
              - id: build
                config: {command: "mkdir -p out/docs && seq 1 60000 > out/app.bin && echo notes > out/docs/notes.txt && echo skip > other.txt"}
                artifacts: ["out/*.bin", "out/docs/**"]
            """);
        var expected = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 60000).Select(i => $"{i}\n")));

        Assert.Equal("passed", run.Str("state"));
        var execution = PipelineRuns.Step(run, "build").Str("execution_id");
        var listed = await (await Api.GetAsync($"/api/executions/{execution}/artifacts")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(["out/app.bin", "out/docs/notes.txt"], listed.EnumerateArray().Select(a => a.Str("name")).ToArray());
        var app = listed[0];
        Assert.Equal(expected.Length, app.GetProperty("size_bytes").GetInt64());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), app.Str("sha256"));

        using var whole = await Api.GetAsync($"/api/executions/{execution}/artifacts/out/app.bin");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(expected.Length, whole.Content.Headers.ContentLength);
        Assert.Equal(expected, await whole.Content.ReadAsByteArrayAsync());

        using var range = new HttpRequestMessage(HttpMethod.Get, $"/api/executions/{execution}/artifacts/out/app.bin");
        range.Headers.Range = new RangeHeaderValue(1000, 1999);
        using var part = await Api.SendAsync(range);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(1000, part.Content.Headers.ContentLength);
        Assert.Equal($"bytes 1000-1999/{expected.Length}", part.Content.Headers.ContentRange!.ToString());
        Assert.Equal(expected[1000..2000], await part.Content.ReadAsByteArrayAsync());

        var blob = Path.Combine(fixture.Host.DataDir, "artifacts", "sha256", app.Str("sha256")[..2], app.Str("sha256"));
        Assert.True(File.Exists(blob));
        var cleaner = fixture.Host.Services.GetRequiredService<ArtifactCleaner>();
        Assert.Equal(0, await cleaner.SweepAsync(DateTimeOffset.UtcNow.AddDays(29), CancellationToken.None));
        Assert.Equal(HttpStatusCode.OK, (await Api.GetAsync($"/api/executions/{execution}/artifacts/out/app.bin")).StatusCode);

        await cleaner.SweepAsync(DateTimeOffset.UtcNow.AddDays(31), CancellationToken.None);

        await (await Api.GetAsync($"/api/executions/{execution}/artifacts/out/app.bin")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty((await (await Api.GetAsync($"/api/executions/{execution}/artifacts")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
        Assert.False(File.Exists(blob));
    }

    [Fact]
    public async Task An_artifact_over_the_cap_fails_the_step_saying_which_and_why_and_nothing_is_kept()
    {
        var run = await RunAsync("artifact-cap", """
            name: cap
            steps:
              - id: build
                config: {command: "mkdir -p out && head -c 2000000 /dev/zero > out/big.bin && echo small > out/small.txt"}
                artifacts: ["out/*"]
            """);

        Assert.Equal("failed", run.Str("state"));
        var step = PipelineRuns.Step(run, "build");
        Assert.Equal("artifact 'out/big.bin' is 1.9 MiB, over the 976.6 KiB one artifact may take (Reports:MaxArtifactBytes); none kept", step.Str("error"));
        Assert.Empty((await (await Api.GetAsync($"/api/executions/{step.Str("execution_id")}/artifacts")).JsonAsync(HttpStatusCode.OK)).EnumerateArray());
    }

    [Fact]
    public async Task An_artifact_reached_through_a_link_out_of_the_workspace_is_refused()
    {
        var run = await RunAsync("artifact-link", """
            name: link
            steps:
              - id: build
                config: {command: "mkdir -p out && ln -s /etc out/etc"}
                artifacts: ["out/**"]
            """);

        Assert.Equal("failed", run.Str("state"));
        Assert.Equal("artifact 'out/etc' is a link, which may lead outside the workspace; refused", PipelineRuns.Step(run, "build").Str("error"));
    }

    [Fact]
    public async Task A_glob_that_escapes_the_workspace_is_refused_on_a_card_and_in_a_pipeline()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "artifact-escape");

        var card = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "escape", step_type = "script", step_config = new { command = "true", artifacts = new[] { "../../etc/passwd" } } })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("step_config.artifacts", card.GetProperty("errors").EnumerateObject().Select(e => e.Name));
        var absolute = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "absolute", step_type = "script", step_config = new { command = "true", artifacts = new[] { "/etc/passwd" } } })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("inside the workspace", absolute.GetRawText(), StringComparison.Ordinal);

        var validated = await (await Api.PostJsonAsync("/api/pipelines/validate",
            new { yaml = "name: escape\nsteps:\n  - id: a\n    config: {command: \"true\"}\n    artifacts: [\"out/../../x\"]\n" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'out/../../x' is not a path or glob inside the workspace", validated.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_keeps_the_artifacts_its_step_config_names()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "artifact-card");
        var card = await (await Api.PostJsonAsync($"/api/repos/{repo.Id}/cards",
            new { title = "build", step_type = "script", step_config = new { command = "echo built > build.log", artifacts = new[] { "build.log" } } })).JsonAsync(HttpStatusCode.Created);
        using var started = await Api.PostAsync($"/api/cards/{card.Str("id")}/start", null);
        await started.JsonAsync(HttpStatusCode.Accepted);
        var execution = started.Headers.Location!.ToString().Split('/')[^1];

        await Eventually.HoldsAsync(
            async () => (await (await Api.GetAsync($"/api/executions/{execution}")).JsonAsync(HttpStatusCode.OK)).Str("state") == "succeeded",
            async () => (await (await Api.GetAsync($"/api/executions/{execution}")).JsonAsync(HttpStatusCode.OK)).ToString(),
            TimeSpan.FromSeconds(60));

        Assert.Equal("built\n", await Api.GetStringAsync($"/api/executions/{execution}/artifacts/build.log"));
        await (await Api.GetAsync("/api/executions/nope/artifacts")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync($"/api/executions/{execution}/artifacts/missing.txt")).ProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<JsonElement> RunAsync(string name, string pipeline)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, name);
        await repo.CommitAsync(".gitignore", "out/\n", "ignore the build");
        var pipelineName = pipeline.Split('\n')[0]["name: ".Length..].Trim();
        await PipelineRuns.CommitPipelineAsync(repo, pipelineName, pipeline);
        return await _runs.SettledAsync(await _runs.RunAsync(repo.Id, pipelineName), timeoutSeconds: 120);
    }
}
