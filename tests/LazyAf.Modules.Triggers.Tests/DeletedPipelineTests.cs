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

        var (card, _) = await cards.InReviewAsync(repo.Id, "echo work > work.txt");

        var run = Assert.Single(await PipelineRuns.FinishedAsync(_host.Client, repo.Id, 1));
        Assert.Equal("failed", run.Str("state"));
        Assert.Contains("pipeline 'review' not found", run.Str("error"), StringComparison.Ordinal);
        await cards.StatusAsync(card, "failed");
        var (trigger, _, reason) = await cards.LastMoveAsync(card);
        Assert.Equal("fail", trigger);
        Assert.Contains("pipeline 'review' not found", reason, StringComparison.Ordinal);
    }
}
