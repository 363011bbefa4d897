using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Modules.Agents.Contracts;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Pipelines.Contracts;
using LazyAf.Modules.Pipelines.Data;
using LazyAf.Modules.Pipelines.Handlers;
using LazyAf.Modules.Repos.Contracts;

namespace LazyAf.Modules.Pipelines.Domain;

/// <summary>
/// Starts runs. The commit is fixed at start (the branch head when none is given) and the pipeline's YAML is read then,
/// from the branch: a run that cannot start (no such branch, the pipeline file is gone, the YAML is invalid) is recorded
/// as <c>failed</c> with that reason rather than refused, so a trigger accepted earlier leaves a visible trace.
/// </summary>
internal sealed class RunStarter(
    IRepoCatalog repos, PipelineSources sources, PipelineStore store, RunStore runs, RunEngine engine, IAgentInstructions instructions, TimeProvider clock) : IPipelineRuns
{
    public Task<PipelineRunStart> StartAsync(PipelineRunRequest request, CancellationToken ct) => StartAsync(request, null, ct);

    /// <summary>Starts a run; with <paramref name="storedId"/> the stored pipeline is run even when a repo file has its name.</summary>
    public async Task<PipelineRunStart> StartAsync(PipelineRunRequest request, string? storedId, CancellationToken ct)
    {
        if (await repos.FindAsync(request.RepoId, ct) is null)
            throw new PipelineRunRefusedException($"There is no repo '{request.RepoId}'.");
        if (request.DedupKey is { } key && await runs.FindByDedupKeyAsync(key, ct) is { } existing)
            return new PipelineRunStart(existing.Id, false);

        var id = Ids.New();
        var now = clock.GetUtcNow();
        var commit = request.Commit ?? await repos.BranchTipAsync(request.RepoId, request.Branch, ct);
        var found = storedId is not null
            ? await store.FindAsync(storedId, ct) is { } row ? PipelineSources.Stored(row) : null
            : await sources.FindAsync(request.RepoId, request.Branch, request.Pipeline, ct);
        var run = new PipelineRun(new RunRow
        {
            Id = id,
            RepoId = request.RepoId,
            Pipeline = request.Pipeline,
            Source = found?.Source,
            Definition = found?.Yaml,
            Branch = request.Branch,
            // A card's steps work on the card's branch (and may commit fixes to it); other runs get a branch of their own.
            WorkBranch = request.CardId is not null ? request.Branch : RunBranchCleanup.Prefix + Ids.ShortForm(id),
            CommitSha = commit,
            State = EnumText.Of(PipelineRunState.Pending),
            TriggerKind = request.TriggerKind,
            TriggerId = request.TriggerId,
            CardId = request.CardId,
            DedupKey = request.DedupKey,
            Params = JsonSerializer.Serialize(request.Params),
            CreatedAt = now,
            UpdatedAt = now,
        });
        if ((CannotStart(request, commit, found) ?? await MissingAgentFilesAsync(request, found, ct)) is { } reason)
            await run.FireAsync(RunTrigger.Fail, r => r with { Error = reason, FinishedAt = now });

        if (await engine.SaveAsync(new RunChange(run, [], Insert: true), ct))
            return new PipelineRunStart(id, true);
        // Someone started the same dedup key meanwhile.
        return new PipelineRunStart((await runs.FindByDedupKeyAsync(request.DedupKey!, ct))!.Id, false);
    }

    /// <summary>
    /// Starts a debug re-run of <paramref name="original"/>: its definition, branch and params, on its commit unless
    /// <paramref name="commit"/> is given, pausing before <paramref name="breakpoints"/>. It belongs to no card and no
    /// trigger, so its end merges nothing; its work goes to a branch of its own. With <paramref name="pauseOnFailure"/> it
    /// pauses after a step that fails.
    /// </summary>
    public async Task<PipelineRunStart> StartRerunAsync(RunRow original, IReadOnlyList<string> breakpoints, bool pauseOnFailure, string? commit, CancellationToken ct)
    {
        var id = Ids.New();
        var now = clock.GetUtcNow();
        var run = new PipelineRun(new RunRow
        {
            Id = id,
            RepoId = original.RepoId,
            Pipeline = original.Pipeline,
            Source = original.Source,
            Definition = original.Definition,
            Branch = original.Branch,
            WorkBranch = RunBranchCleanup.Prefix + Ids.ShortForm(id),
            CommitSha = commit ?? original.CommitSha,
            State = EnumText.Of(PipelineRunState.Pending),
            TriggerKind = DebugTrigger,
            Params = original.Params,
            Breakpoints = Breakpoints.Text(breakpoints),
            PauseOnFailure = pauseOnFailure,
            CreatedAt = now,
            UpdatedAt = now,
        });
        if (!await engine.SaveAsync(new RunChange(run, [], Insert: true), ct))
            throw new InvalidOperationException($"Debug re-run {id} could not be stored.");
        return new PipelineRunStart(id, true);
    }

    /// <summary>The trigger kind of a debug re-run.</summary>
    public const string DebugTrigger = "debug";

    /// <summary>Why the run cannot start because an agent step names agent files the branch and the platform lack; null when none does.</summary>
    private async Task<string?> MissingAgentFilesAsync(PipelineRunRequest request, FoundPipeline? found, CancellationToken ct)
    {
        foreach (var step in found?.Read.Definition?.Steps ?? [])
        {
            if (step.Definition is not AgentStep { AgentFiles.Count: > 0 } agent)
                continue;
            var resolved = await instructions.ResolveAsync(request.RepoId, request.Branch, agent.AgentFiles, ct);
            if (resolved.Missing.Count > 0)
                return $"pipeline '{request.Pipeline}': step {step.Id} names agent files that are neither in {IAgentInstructions.RepoDirectory}/ on branch '{request.Branch}' nor on the platform: {string.Join(", ", resolved.Missing)}";
        }
        return null;
    }

    private static string? CannotStart(PipelineRunRequest request, string? commit, FoundPipeline? found) => (commit, found) switch
    {
        (null, _) => $"branch '{request.Branch}' does not exist",
        (_, null) => $"pipeline '{request.Pipeline}' not found: no {PipelineSources.Directory}/ file on branch '{request.Branch}' names it and no stored pipeline has that name",
        (_, { Read.Errors: { Count: > 0 } errors }) =>
            $"pipeline '{request.Pipeline}' ({found.Path ?? "stored"}) is invalid: " + string.Join("; ", errors.Select(e => $"{e.Line}:{e.Column}: {e.Message}")),
        _ => null,
    };
}
