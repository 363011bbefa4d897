using System.Text;
using System.Text.Json;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Runner;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Execution.Tests;

public sealed class LogVolumeTests : IDisposable
{
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Two_hundred_megabytes_of_output_are_stored_up_to_the_cap_then_marked_and_dropped_keeping_the_runners_lines()
    {
        await using var host = LazyAfHost.Start(settings: new Dictionary<string, string> { ["Execution:MaxLogBytes"] = "1000000" });
        var runs = new CardRuns(host);
        var repo = await SeededRepo.CreateAsync(host, _work, "loud");
        var card = await runs.CreateScriptCardAsync(repo.Id, "head -c 200000000 /dev/zero | tr '\\0' 'a'; echo; echo finished");

        var execution = await runs.StartAsync(card);
        Assert.Equal("in_review", (await runs.SettledAsync(card, timeoutSeconds: 120)).Str("status"));

        var body = await (await host.Client.GetAsync($"/api/executions/{execution}/logs")).Content.ReadAsStringAsync();
        var chunks = body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var seqs = chunks.Select(c => c.GetProperty("seq").GetInt64()).ToList();
        Assert.Equal(seqs.Order(), seqs);
        var markerAt = chunks.FindIndex(c => c.Str("stream") == "system" && c.Str("text").Contains("is dropped", StringComparison.Ordinal));
        Assert.True(markerAt > 0, "no truncation marker");
        // Before the marker the seqs have no gaps: nothing was dropped yet.
        Assert.Equal(Enumerable.Range(1, markerAt + 1).Select(i => (long)i), seqs.Take(markerAt + 1));
        var output = chunks.Where(c => c.Str("stream") == "stdout").Sum(c => (long)c.Str("text").Length);
        Assert.InRange(output, 900_000, 1_000_000);
        Assert.Contains(chunks.Skip(markerAt + 1), c => c.Str("stream") == "system" && c.Str("text").Contains("Succeeded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Output_stored_before_a_re_attach_counts_against_the_cap_of_the_sink_that_continues_it()
    {
        await using var host = LazyAfHost.Start();
        var runs = new CardRuns(host);
        var repo = await SeededRepo.CreateAsync(host, _work, "reattached-log");
        var card = await runs.CreateScriptCardAsync(repo.Id, "printf '%0300d' 0; printf '%0200d' 0 >&2");
        var execution = await runs.StartAsync(card);
        Assert.Equal("in_review", (await runs.SettledAsync(card)).Str("status"));
        var logs = host.Services.GetRequiredService<LogStore>();
        Assert.Equal(500, await logs.OutputBytesAsync(execution, default));
        var last = (await logs.LastAsync(execution, default))!.Seq;

        // Re-attached with a cap of 600: only 100 more bytes of output fit, then the marker.
        await using (var sink = new StoredLogSink(logs, new ExecutionIdentity(execution, "card", card), maxBytes: 600, alreadyStored: 500))
        {
            for (var i = 1; i <= 3; i++)
                await sink.WriteAsync(new LogChunk(execution, last + i, LogStream.Stdout, DateTimeOffset.UtcNow, Encoding.ASCII.GetBytes(new string('r', 80))), default);
        }

        Assert.Equal(580, await logs.OutputBytesAsync(execution, default));
        var stored = await logs.ReadAsync(execution, last, 10, default);
        Assert.Equal([LogStream.Stdout, LogStream.System], stored.Select(c => Enum.Parse<LogStream>(c.Stream, ignoreCase: true)));
        Assert.Contains("stored the first 580 bytes", Encoding.UTF8.GetString(stored[1].Data), StringComparison.Ordinal);
    }
}
