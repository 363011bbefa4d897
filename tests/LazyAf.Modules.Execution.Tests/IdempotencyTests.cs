using Dapper;
using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Handlers;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Execution.Tests;

public sealed class IdempotencyTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_same_idempotency_key_submitted_concurrently_creates_and_runs_one_execution()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "idempotent");
        const string key = "card:0123456789abcdef0123456789abcdef:attempt:1";
        var requests = Enumerable.Range(0, 8).Select(_ => new ExecutionRequested(
            Ids.New(), key, "card", null, repo.Id, "main", "lazyaf/idempotent", new ScriptStep("echo once >> runs.txt") { Commit = StepCommit.Everything }, "Once", "", 60)).ToList();

        var results = await Task.WhenAll(requests.Select(async request =>
        {
            await using var scope = fixture.Host.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<ExecutionRequests>().SubmitAsync(request, default);
        }));

        Assert.Single(results, r => r.Created);
        Assert.Single(results.Select(r => r.Execution.Row.Id).Distinct());
        var runs = new CardRuns(fixture.Host);
        await runs.WaitForStateAsync(results[0].Execution.Row.Id, "succeeded");
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal("once", await repo.GitAsync("show", "origin/lazyaf/idempotent:runs.txt"));
    }

    [Fact]
    public async Task An_execution_requested_in_a_transaction_exists_with_the_requesters_writes_and_runs_once_they_commit()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "in-tx");
        var request = new ExecutionRequested(Ids.New(), $"card:{Ids.New()}:attempt:1", "card", null, repo.Id, "main", "lazyaf/in-tx",
            new ScriptStep("true"), "In the requester's transaction", "", 60);
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var database = scope.ServiceProvider.GetRequiredService<IDatabase>();

        await using (var tx = await database.BeginWriteAsync(default))
        {
            await scope.ServiceProvider.GetRequiredService<IStepExecutions>().RequestAsync(tx, request, default);
            // Whatever the requester writes beside it (a run's step naming it) is readable exactly when it is.
            Assert.Equal("pending", await tx.Connection.QuerySingleOrDefaultAsync<string>(
                "SELECT state FROM execution_executions WHERE id = @Id", new { Id = request.ExecutionId }, tx.Transaction));
            await tx.CommitAsync(default);
        }

        await new CardRuns(fixture.Host).WaitForStateAsync(request.ExecutionId, "succeeded");
    }
}
