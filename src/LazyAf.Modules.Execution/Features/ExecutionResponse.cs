using LazyAf.Kernel;
using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Features;

/// <summary>An execution as the API shows it.</summary>
internal sealed record ExecutionResponse(
    string Id,
    string IdempotencyKey,
    string Kind,
    string? SubjectId,
    int Attempt,
    string RepoId,
    ExecutionState State,
    string? Runner,
    int? ExitCode,
    string? Error,
    TestCounts? Tests,
    string Branch,
    string? CommitSha,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt)
{
    /// <summary>What an agent step used (session, tokens, cost); null for other steps.</summary>
    public ExecutionUsage? Usage { get; init; }

    public static ExecutionResponse From(StepExecution execution)
    {
        var row = execution.Row;
        return new ExecutionResponse(
            row.Id, row.IdempotencyKey, row.Kind, row.SubjectId, row.Attempt, row.RepoId, execution.State, row.Runner, row.ExitCode, row.Error,
            row.Tests is null ? null : JsonSerializer.Deserialize<TestCounts>(row.Tests, LazyAfJson.Options),
            row.Branch, row.CommitSha, row.CreatedAt, row.StartedAt, row.FinishedAt);
    }
}
