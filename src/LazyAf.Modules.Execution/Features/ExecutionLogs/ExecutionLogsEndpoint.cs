using System.Globalization;
using System.Text;
using System.Text.Json;
using LazyAf.Kernel;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace LazyAf.Modules.Execution.Features.ExecutionLogs;

/// <summary>
/// <c>GET /api/executions/{id}/logs?after_seq=N&amp;limit=L&amp;follow=true</c>: the stored chunks after N as
/// NDJSON (<c>{seq, stream, at, text}</c> per line), streamed a page at a time as they are read. With <c>limit</c> at most
/// L chunks, and when there are more the next page is offered in a <c>Link: &lt;…after_seq=M…&gt;; rel="next"</c> header.
/// With <c>follow</c> the response stays open and each stored batch is sent as soon as it is committed (the append
/// wakes the answer; nothing polls), ending when the execution has ended and everything is sent.
/// </summary>
internal static class ExecutionLogsEndpoint
{
    private const string NdJson = "application/x-ndjson";
    private const int Page = 500;

    public static void MapExecutionLogs(this IEndpointRouteBuilder api) =>
        api.MapGet("/{id}/logs", HandleAsync)
            .WithName("ExecutionLogs")
            .WithSummary("An execution's output as NDJSON chunks after after_seq (at most limit, the next page in the Link header); " +
                         "follow=true streams each chunk as it is stored until the execution ends")
            // The handler writes the lines itself: one LogLine per line.
            .Produces<LogLine>(StatusCodes.Status200OK, NdJson);

    private static async Task<Results<EmptyHttpResult, ValidationProblem, NotFoundProblem>> HandleAsync(
        string id, [FromQuery(Name = "after_seq")] string? afterSeq, string? limit, bool? follow, HttpContext http,
        ExecutionStore executions, LogStore logs, LogFollowSignal followers, CancellationToken ct)
    {
        var after = 0L;
        if (afterSeq is not null && (!long.TryParse(afterSeq, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
            return Problems.Invalid("after_seq", "after_seq must be the last seq you have (a non-negative integer).");
        int? most = null;
        if (limit is not null)
        {
            if (follow == true)
                return Problems.Invalid("limit", "limit pages a stored log; a follow streams all of it, so leave limit out.");
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 1)
                return Problems.Invalid("limit", $"limit must be a whole number from 1 (at most {Paging.MaxLimit} are sent).");
            most = Math.Min(size, Paging.MaxLimit);
        }
        if (!Ids.IsValid(id) || await executions.FindAsync(id, ct) is null)
            return Problems.NotFound("execution", id);

        http.Response.ContentType = NdJson;
        if (most is { } pageSize)
        {
            var chunks = await logs.ReadAsync(id, after, pageSize + 1, ct);
            if (chunks.Count > pageSize)
                Paging.OfferNext(http.Response, chunks[pageSize - 1].Seq.ToString(CultureInfo.InvariantCulture), "after_seq");
            await WriteAsync(http.Response, chunks.Take(pageSize), ct);
            return TypedResults.Empty;
        }

        await http.Response.StartAsync(ct);
        while (!ct.IsCancellationRequested)
        {
            // Taken before anything is read: a batch stored after this point wakes the wait below.
            var changed = followers.Next(id);
            // The state is read before the chunks: once it has ended, every chunk is already stored.
            var ended = (await executions.FindAsync(id, ct))!.IsFinished;
            var chunks = await logs.ReadAsync(id, after, Page, ct);
            if (chunks.Count > 0)
            {
                await WriteAsync(http.Response, chunks, ct);
                after = chunks[^1].Seq;
            }
            if (chunks.Count == Page)
                continue;
            if (follow != true || ended)
                break;
            await changed.WaitAsync(ct);
        }
        return TypedResults.Empty;
    }

    private static async Task WriteAsync(HttpResponse response, IEnumerable<LogStore.StoredChunk> chunks, CancellationToken ct)
    {
        foreach (var chunk in chunks)
        {
            var line = JsonSerializer.Serialize(new LogLine(chunk.Seq, chunk.Stream, chunk.At, Encoding.UTF8.GetString(chunk.Data)), LazyAfJson.Options);
            await response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), ct);
        }
        await response.Body.FlushAsync(ct);
    }

    private sealed record LogLine(long Seq, string Stream, DateTimeOffset At, string Text);
}
