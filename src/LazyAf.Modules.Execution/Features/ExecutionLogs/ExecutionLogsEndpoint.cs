using System.Text;
using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.ExecutionLogs;

/// <summary>
/// <c>GET /api/executions/{id}/logs?after_seq=N&amp;follow=true</c>: the stored chunks after N as
/// NDJSON (<c>{seq, stream, at, text}</c> per line). With <c>follow</c> the response stays open and
/// streams chunks as they are stored, ending when the execution has ended and everything is sent.
/// </summary>
internal static class ExecutionLogsEndpoint
{
    private const string NdJson = "application/x-ndjson";
    private const int Page = 500;
    private static readonly TimeSpan FollowPoll = TimeSpan.FromMilliseconds(200);

    public static void MapExecutionLogs(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/logs", HandleAsync)
            .WithName("ExecutionLogs")
            .WithSummary("An execution's output as NDJSON chunks after after_seq; follow=true streams until it ends")
            // The handler writes the lines itself: one LogLine per line.
            .Produces<LogLine>(StatusCodes.Status200OK, NdJson);

    private static async Task<Results<EmptyHttpResult, ValidationProblem, NotFoundProblem>> HandleAsync(
        string id, [FromQuery(Name = "after_seq")] string? afterSeq, bool? follow, HttpContext http, ExecutionStore executions, LogStore logs, CancellationToken ct)
    {
        var after = 0L;
        if (afterSeq is not null && (!long.TryParse(afterSeq, out after) || after < 0))
            return Problems.Invalid("after_seq", "after_seq must be the last seq you have (a non-negative integer).");
        if (!Ids.IsValid(id) || await executions.FindAsync(id, ct) is null)
            return Problems.NotFound("execution", id);

        http.Response.ContentType = NdJson;
        await http.Response.StartAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            // The state is read before the chunks: once it has ended, every chunk is already stored.
            var ended = (await executions.FindAsync(id, ct))!.IsFinished;
            var chunks = await logs.ReadAsync(id, after, Page, ct);
            foreach (var chunk in chunks)
                await WriteLineAsync(http.Response, chunk, ct);
            if (chunks.Count > 0)
            {
                after = chunks[^1].Seq;
                await http.Response.Body.FlushAsync(ct);
            }
            if (chunks.Count == Page)
                continue;
            if (follow != true || ended)
                break;
            await Task.Delay(FollowPoll, ct);
        }
        return TypedResults.Empty;
    }

    private static async Task WriteLineAsync(HttpResponse response, LogStore.StoredChunk chunk, CancellationToken ct)
    {
        var line = JsonSerializer.Serialize(new LogLine(chunk.Seq, chunk.Stream, chunk.At, Encoding.UTF8.GetString(chunk.Data)), LazyAfJson.Options);
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
    }

    private sealed record LogLine(long Seq, string Stream, DateTimeOffset At, string Text);
}
