using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>Docker cards on the real host and the real engine, with the image <c>scripts/docker-test-image</c> makes.</summary>
public sealed class DockerCardTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();
    private readonly CardRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task A_docker_card_runs_its_command_in_a_container_and_goes_to_review_with_the_file_in_its_diff()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "docker-card");
        var card = await _runs.CreateDockerCardAsync(repo.Id, "lazyaf/busybox:test", "echo hi > hello.txt", commit: true);

        var execution = await _runs.StartAsync(card);
        var settled = await _runs.SettledAsync(card);

        Assert.Equal("in_review", settled.Str("status"));
        Assert.Equal("succeeded", (await _runs.ExecutionAsync(execution)).Str("state"));
        var diff = await (await Api.GetAsync($"/api/cards/{card}/diff")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("hello.txt", Assert.Single(diff.GetProperty("files").EnumerateArray()).Str("path"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("hi", await repo.GitAsync("show", $"origin/{settled.Str("branch_name")}:hello.txt"));
    }

    [Fact]
    public async Task A_docker_card_with_an_image_the_engine_lacks_fails_with_the_reason()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "docker-no-image");
        var card = await _runs.CreateDockerCardAsync(repo.Id, "lazyaf/not-there:nope", "echo never");

        await _runs.StartAsync(card);
        var failed = await _runs.SettledAsync(card, timeoutSeconds: 20);

        Assert.Equal("failed", failed.Str("status"));
        var events = await (await Api.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("image 'lazyaf/not-there:nope' not found", events[events.GetArrayLength() - 1].Str("reason"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("timeout")]
    public async Task Cancelling_or_timing_out_a_docker_card_kills_and_removes_its_container(string how)
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "docker-stop-" + how);
        var card = await _runs.CreateDockerCardAsync(repo.Id, "lazyaf/busybox:test", "sleep 120", timeoutSeconds: how == "timeout" ? 3 : null);

        var execution = await _runs.StartAsync(card);
        await _runs.WaitForStateAsync(execution, "running");
        await Eventually.HoldsAsync(() => ContainersOf(execution) > 0, () => "no container yet", TimeSpan.FromSeconds(20));
        if (how == "cancel")
            Assert.Equal(HttpStatusCode.Accepted, (await Api.PostAsync($"/api/executions/{execution}/cancel", null)).StatusCode);

        await _runs.WaitForStateAsync(execution, how == "cancel" ? "cancelled" : "timed_out");
        Assert.Equal(0, ContainersOf(execution));
        Assert.Equal("failed", (await _runs.SettledAsync(card)).Str("status"));
    }

    private static int ContainersOf(string executionId)
    {
        using var docker = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(
            "docker", ["ps", "-aq", "--filter", $"label=lazyaf.execution={executionId}"]) { RedirectStandardOutput = true })!;
        var ids = docker.StandardOutput.ReadToEnd();
        docker.WaitForExit();
        return ids.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
