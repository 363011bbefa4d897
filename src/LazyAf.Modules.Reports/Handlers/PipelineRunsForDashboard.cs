using Dapper;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Pipelines.Contracts;

namespace LazyAf.Modules.Reports.Handlers;

/// <summary>Keeps when each pipeline run started (its first <c>running</c>) and how and when it ended, for the dashboard. Idempotent.</summary>
internal sealed class PipelineRunsForDashboard(IDatabase database) : IIntegrationEventHandler<PipelineRunUpdated>
{
    private const string Upsert = """
        INSERT INTO reports_pipeline_runs (run_id, repo_id, pipeline, state, started_at, finished_at)
        VALUES (@RunId, @RepoId, @Pipeline, @State, @StartedAt, @FinishedAt)
        ON CONFLICT (run_id) DO UPDATE SET
            state = CASE WHEN reports_pipeline_runs.finished_at IS NULL THEN excluded.state ELSE reports_pipeline_runs.state END,
            started_at = COALESCE(reports_pipeline_runs.started_at, excluded.started_at),
            finished_at = COALESCE(reports_pipeline_runs.finished_at, excluded.finished_at)
        """;

    public async Task HandleAsync(PipelineRunUpdated @event, EventContext context, CancellationToken ct)
    {
        var run = @event.Run;
        var final = run.State is PipelineRunState.Passed or PipelineRunState.Failed or PipelineRunState.Cancelled;
        await using var connection = await database.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Upsert, new
        {
            RunId = run.Id, run.RepoId, run.Pipeline, State = EnumText.Of(run.State),
            StartedAt = run.State == PipelineRunState.Running ? context.OccurredAt : (DateTimeOffset?)null,
            FinishedAt = final ? context.OccurredAt : (DateTimeOffset?)null,
        }, cancellationToken: ct));
    }
}
