using System.Text.Json;
using Dapper;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// Requests an older LazyAF stored before steps were typed (<c>step_type</c> beside a <c>step_config</c> JSON string), as
/// an undelivered <c>execution.requested</c> in the outbox or as a pending execution, still run after the upgrade.
/// </summary>
public sealed class StoredRequestTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task An_old_shape_request_left_in_the_outbox_runs_its_step()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "old-outbox");
        var id = Ids.New();
        await using (var connection = await fixture.Host.Services.GetRequiredService<IDatabase>().OpenAsync(default))
            await connection.ExecuteAsync(
                "INSERT INTO kernel_outbox (event_type, payload, topics, occurred_at, next_attempt_at) VALUES ('execution.requested', @Payload, '', @Now, @Now)",
                new { Payload = OldRequest(id, repo.Id, "lazyaf/old-outbox"), Now = DateTimeOffset.UtcNow });

        await CardRuns.WaitForStateAsync(fixture.Host.Client, id, "succeeded");
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("from an old request", await repo.GitAsync("show", "origin/lazyaf/old-outbox:old.txt"));
    }

    [Fact]
    public async Task A_pending_execution_stored_in_the_old_shape_runs_its_step()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "old-row");
        var id = Ids.New();
        await using (var connection = await fixture.Host.Services.GetRequiredService<IDatabase>().OpenAsync(default))
            await connection.ExecuteAsync("""
                INSERT INTO execution_executions (id, idempotency_key, kind, repo_id, branch, request, state, created_at, updated_at)
                VALUES (@Id, @Key, 'card', @RepoId, 'lazyaf/old-row', @Request, 'pending', @Now, @Now)
                """, new { Id = id, Key = $"old:{id}", RepoId = repo.Id, Request = OldRequest(id, repo.Id, "lazyaf/old-row"), Now = DateTimeOffset.UtcNow });

        await CardRuns.WaitForStateAsync(fixture.Host.Client, id, "succeeded");
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("from an old request", await repo.GitAsync("show", "origin/lazyaf/old-row:old.txt"));
    }

    // As ExecutionRequested was serialized before the typed step, including a fractional timeout the old rules took.
    private static string OldRequest(string id, string repoId, string workBranch) => JsonSerializer.Serialize(new
    {
        execution_id = id,
        idempotency_key = $"old:{id}",
        kind = "card",
        subject_id = (string?)null,
        repo_id = repoId,
        base_branch = "main",
        work_branch = workBranch,
        step_type = "script",
        step_config = """{"command":"printf 'from an old request' > old.txt","env":{"A":"1"},"timeout_seconds":59.5,"commit":true}""",
        title = "An old request",
        description = "",
        timeout_seconds = 60,
        attempt = 1,
        base_commit = (string?)null,
    });
}
