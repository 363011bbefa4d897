using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Events;
using LazyAf.Modules.Reports.Data;
using LazyAf.Modules.Reports.Domain;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Reports.Handlers;

/// <summary>A deleted repo's test history, quarantine and artifacts go with it.</summary>
internal sealed class ReportsOfDeletedRepo(IDatabase database, ArtifactStore artifacts, ArtifactBlobs blobs, ILogger<ReportsOfDeletedRepo> logger)
    : IIntegrationEventHandler<RepoDeleted>
{
    private const string Delete = """
        DELETE FROM reports_test_results WHERE test_id IN (SELECT id FROM reports_tests WHERE repo_id = @RepoId);
        DELETE FROM reports_tests WHERE repo_id = @RepoId;
        DELETE FROM reports_step_runs WHERE repo_id = @RepoId;
        DELETE FROM reports_quarantine WHERE repo_id = @RepoId;
        DELETE FROM reports_quarantine_audit WHERE repo_id = @RepoId;
        DELETE FROM reports_coverage WHERE repo_id = @RepoId;
        DELETE FROM reports_pipeline_runs WHERE repo_id = @RepoId;
        """;

    public async Task HandleAsync(RepoDeleted @event, EventContext context, CancellationToken ct)
    {
        await using var tx = await database.BeginWriteAsync(ct);
        await tx.Connection.ExecuteAsync(new CommandDefinition(Delete, new { @event.RepoId }, tx.Transaction, cancellationToken: ct));
        await tx.CommitAsync(ct);
        foreach (var sha in await artifacts.DeleteAsync(await artifacts.OfRepoAsync(@event.RepoId, ct), ct))
            blobs.Delete(sha);
        logger.LogInformation("Deleted the test history of deleted repo {RepoId}", @event.RepoId);
    }
}
