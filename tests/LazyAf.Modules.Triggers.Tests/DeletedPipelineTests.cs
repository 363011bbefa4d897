using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Triggers.Domain;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;
using static LazyAf.Modules.Triggers.Tests.FakePipelines;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>
/// The trigger sees a pipeline that the branch no longer has when its run starts (deleted in between): the
/// catalog is the test's, the runs are the real Pipelines module's, which fails such a run with the reason.
/// </summary>
public sealed class DeletedPipelineTests : IAsyncLifetime
{
    private readonly FakePipelines _catalog = new();
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;

    public Task InitializeAsync()
    {
        _host = LazyAfHost.Start(configureServices: services => services.AddSingleton<IPipelineCatalog>(_catalog));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_pipeline_gone_from_the_branch_when_its_run_starts_fails_the_run_and_on_fail_fails_the_card_with_that_reason()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "deleted-pipeline");
        _catalog.Define(repo.Id, "review", Trigger(TriggerKinds.CardComplete, onPass: "merge", onFail: "fail"));
        var cards = new ScriptCards(_host.Client);

        // The run fails as it starts, so the card may pass through review faster than a poll sees it.
        var card = await cards.CreateAsync(repo.Id, "echo work > work.txt");
        await (await _host.Client.PostAsync($"/api/cards/{card}/start", null)).JsonAsync(System.Net.HttpStatusCode.Accepted);

        var run = Assert.Single(await PipelineRuns.FinishedAsync(_host.Client, repo.Id, 1));
        Assert.Equal("failed", run.Str("state"));
        Assert.Contains("pipeline 'review' not found", run.Str("error"), StringComparison.Ordinal);
        await cards.StatusAsync(card, "failed", TimeSpan.FromSeconds(60));
        var moves = await (await _host.Client.GetAsync($"/api/cards/{card}/events")).JsonAsync(System.Net.HttpStatusCode.OK);
        Assert.Equal(["in_progress", "in_review", "failed"], moves.EnumerateArray().Select(m => m.Str("to_status")));
        var (trigger, _, reason) = await cards.LastMoveAsync(card);
        Assert.Equal("fail", trigger);
        Assert.Contains("pipeline 'review' not found", reason, StringComparison.Ordinal);
    }
}
