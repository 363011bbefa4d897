using System.Net;
using Dapper;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Agents.Tests;

/// <summary>
/// A database written before the Agents module existed holds agent files in <c>cards_agent_files</c> and playground
/// runs in <c>execution_playground_runs</c>; the module's migration takes both tables over with their rows.
/// </summary>
public sealed class TableTakeoverTests
{
    [Fact]
    public async Task Agent_files_and_playground_runs_of_an_older_database_are_there_after_the_upgrade()
    {
        await using var host = LazyAfHost.Start();
        var repo = await host.CreateRepoAsync("older-db");
        var runId = Ids.New();
        await using (var connection = await host.Services.GetRequiredService<IDatabase>().OpenAsync(default))
        {
            // Back to how an older LazyAF left it: the old tables, with rows, and the Agents migration not yet applied.
            await connection.ExecuteAsync("""
                DROP TABLE IF EXISTS cards_agent_files;
                DROP TABLE IF EXISTS execution_playground_runs;
                ALTER TABLE agents_files RENAME TO cards_agent_files;
                ALTER TABLE agents_playground_runs RENAME TO execution_playground_runs;
                DELETE FROM schema_migrations WHERE module = 'agents';
                INSERT INTO cards_agent_files (id, name, description, content, model, created_at, updated_at)
                VALUES (@FileId, 'kept-reviewer', '', 'Review as before.', NULL, @Now, @Now);
                INSERT INTO execution_playground_runs (id, repo_id, agent, model, base_branch, base_sha, task, execution_id, work_branch, created_at)
                VALUES (@RunId, @RepoId, 'claude-code', NULL, 'main', 'abc123', 'Kept task', @ExecutionId, 'lazyaf/playground-kept', @Now);
                """, new { FileId = Ids.New(), RunId = runId, RepoId = repo, ExecutionId = Ids.New(), Now = DateTimeOffset.UtcNow });
        }

        await host.RestartAsync();

        var file = await (await host.Client.GetAsync("/api/agent-files/by-name/kept-reviewer")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Review as before.", file.Str("content"));
        var run = await (await host.Client.GetAsync($"/api/playground/runs/{runId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("Kept task", "pending"), (run.Str("task"), run.Str("state")));
        await using var upgraded = await host.Services.GetRequiredService<IDatabase>().OpenAsync(default);
        var oldTables = await upgraded.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('cards_agent_files', 'execution_playground_runs')");
        Assert.Equal(0, oldTables);
    }
}
