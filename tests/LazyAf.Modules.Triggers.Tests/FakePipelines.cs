using System.Collections.Concurrent;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Triggers.Tests;

/// <summary>
/// Pipelines as the Triggers module sees them, without running anything: definitions a test declares, and
/// the runs asked for (deduplicated by key, as the real module does). Lets trigger rules be tested exactly.
/// </summary>
internal sealed class FakePipelines : IPipelineRuns, IPipelineCatalog
{
    private readonly ConcurrentDictionary<string, List<PipelineTriggers>> _definitions = new();
    private readonly ConcurrentDictionary<string, string> _runsByKey = new();
    private readonly ConcurrentQueue<(string RunId, PipelineRunRequest Request)> _runs = new();

    /// <summary>Every run created, in order (repeated requests for one dedup key appear once).</summary>
    public IReadOnlyList<(string RunId, PipelineRunRequest Request)> Runs => [.. _runs];

    private int _startCalls;

    public int StartCalls => _startCalls;

    public static LazyAfHost StartHost(FakePipelines pipelines, TimeProvider? clock = null, string? dataDir = null, IReadOnlyDictionary<string, string>? settings = null) =>
        LazyAfHost.Start(dataDir, services =>
        {
            services.AddSingleton<IPipelineRuns>(pipelines);
            services.AddSingleton<IPipelineCatalog>(pipelines);
            if (clock is not null)
                services.AddSingleton(clock);
        }, settings);

    public void Define(string repoId, string name, params PipelineTrigger[] triggers) =>
        _definitions.GetOrAdd(repoId, _ => []).Add(new PipelineTriggers(name, "db", triggers));

    public IReadOnlyList<(string RunId, PipelineRunRequest Request)> RunsOf(string repoId) => [.. Runs.Where(r => r.Request.RepoId == repoId)];

    public Task<IReadOnlyList<PipelineTriggers>> ListAsync(string repoId, string branch, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<PipelineTriggers>>(_definitions.TryGetValue(repoId, out var list) ? [.. list] : []);

    /// <summary>The fake's pipelines are defined by the test, never read from files.</summary>
    public Task<IReadOnlyList<InvalidPipelineFile>> InvalidFilesAsync(string repoId, string branch, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<InvalidPipelineFile>>([]);

    public Task<PipelineRunStart> StartAsync(PipelineRunRequest request, CancellationToken ct)
    {
        Interlocked.Increment(ref _startCalls);
        var created = false;
        var id = _runsByKey.GetOrAdd(request.DedupKey ?? Ids.New(), _ =>
        {
            created = true;
            return Ids.New();
        });
        if (created)
            _runs.Enqueue((id, request));
        return Task.FromResult(new PipelineRunStart(id, created));
    }

    /// <summary>Ends a run the way the Pipelines module announces it: a durable <c>pipeline_run.updated</c>.</summary>
    public static async Task FinishAsync(LazyAfHost host, string runId, PipelineRunRequest request, PipelineRunState state, string? error = null)
    {
        var snapshot = new PipelineRunSnapshot(runId, request.RepoId, request.Pipeline, request.Branch, request.Commit, state,
            request.TriggerKind, request.TriggerId, request.CardId, error);
        await using var tx = await host.Services.GetRequiredService<IDatabase>().BeginWriteAsync(default);
        await host.Services.GetRequiredService<IEventOutbox>().EnqueueAsync(tx, new PipelineRunUpdated(snapshot), default);
        await tx.CommitAsync(default);
    }

    public static PipelineTrigger Trigger(string kind, string[]? branches = null, bool includeLazyaf = false, string? cron = null,
        string onPass = "nothing", string onFail = "nothing") =>
        new(kind, branches ?? [], includeLazyaf, cron, onPass, onFail);
}
