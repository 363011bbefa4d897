using System.Text;
using LazyAf.Runner.Spool;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

/// <summary>The agents' on-disk spool: chunks read back in seq order from any point, each once, and the result kept whole.</summary>
public sealed class StepSpoolTests : IDisposable
{
    private readonly TempDir _root = new("lazyaf-spool-test");

    [Fact]
    public async Task Chunks_are_read_back_from_disk_after_any_seq_in_order_and_a_repeated_seq_is_kept_once()
    {
        using var spool = StepSpool.Create(_root.Path, "exec1");
        for (var seq = 1; seq <= 300; seq++)
            await spool.WriteAsync(Chunk(seq), CancellationToken.None);
        await spool.WriteAsync(Chunk(150), CancellationToken.None);

        Assert.Equal(300, spool.LastSeq);
        Assert.Equal(Enumerable.Range(1, 64).Select(i => (long)i), spool.After(0, 64).Select(c => c.Seq));
        var tail = spool.After(250, 1000);
        Assert.Equal(Enumerable.Range(251, 50).Select(i => (long)i), tail.Select(c => c.Seq));
        Assert.Equal("line 251\n", Encoding.UTF8.GetString(tail[0].Data.Span));
        Assert.Equal(LogStream.Stderr, tail[0].Stream);
        Assert.Empty(spool.After(300, 10));
    }

    [Fact]
    public async Task A_waiter_wakes_for_the_next_chunk_and_the_result_is_kept_on_disk_until_deleted()
    {
        var spool = StepSpool.Create(_root.Path, "exec2");
        var waiting = spool.WaitAsync(0, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        await spool.WriteAsync(Chunk(1), CancellationToken.None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));

        spool.SaveResult([1, 2, 3]);
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(Path.Combine(_root.Path, "exec2", "result")));
        Assert.True(spool.WaitAsync(1, CancellationToken.None).IsCompleted);

        spool.Delete();
        Assert.False(Directory.Exists(Path.Combine(_root.Path, "exec2")));
        Assert.Empty(spool.After(0, 10));
    }

    [Fact]
    public async Task A_long_steps_spool_drops_the_files_whose_chunks_the_host_stored_and_reads_back_what_it_lacks()
    {
        using var spool = StepSpool.Create(_root.Path, "exec3", segmentBytes: 1024);
        for (var seq = 1; seq <= 1000; seq++)
            await spool.WriteAsync(Chunk(seq), CancellationToken.None);
        var whole = spool.LogBytes;
        // Read across its many files, whole and in order.
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), spool.After(0, 5000).Select(c => c.Seq));

        spool.Stored(900);

        Assert.InRange(spool.LogBytes, 1, whole / 5);
        Assert.Equal(spool.LogBytes, Directory.GetFiles(Path.Combine(_root.Path, "exec3"), "log.*").Sum(f => new FileInfo(f).Length));
        Assert.Equal(Enumerable.Range(901, 100).Select(i => (long)i), spool.After(900, 1000).Select(c => c.Seq));
        Assert.Equal("line 901\n", Encoding.UTF8.GetString(spool.After(900, 1)[0].Data.Span));
        // From before what it keeps: the oldest chunk kept comes first, and none is skipped after it.
        var kept = spool.After(0, 1000);
        Assert.InRange(kept[0].Seq, 2, 901);
        Assert.Equal(Enumerable.Range((int)kept[0].Seq, 1001 - (int)kept[0].Seq).Select(i => (long)i), kept.Select(c => c.Seq));

        // The file being written is never dropped, even when the host has everything in it.
        spool.Stored(1000);
        Assert.True(spool.LogBytes > 0);
        await spool.WriteAsync(Chunk(1001), CancellationToken.None);
        Assert.Equal([1001L], spool.After(1000, 10).Select(c => c.Seq));
    }

    [Fact]
    public async Task A_spool_an_earlier_agent_left_is_read_back_cut_at_the_record_it_died_writing_and_goes_on_after_it()
    {
        var at = new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero);
        using (var left = StepSpool.Create(_root.Path, "outlived", segmentBytes: 64))
        {
            left.SaveAssignment([1, 2, 3]);
            for (var seq = 1; seq <= 5; seq++)
                await left.WriteAsync(Chunk(seq) with { At = at.AddSeconds(seq) }, CancellationToken.None);
            await left.WriteAsync(new LogChunk("exec", 6, LogStream.System, at.AddSeconds(6), Encoding.UTF8.GetBytes("runner line\n")), CancellationToken.None);
        }
        // The process died half-way through writing chunk 7.
        var last = Directory.GetFiles(Path.Combine(_root.Path, "outlived"), "log.*").OrderBy(f => long.Parse(Path.GetExtension(f)[1..], System.Globalization.CultureInfo.InvariantCulture)).Last();
        await File.AppendAllBytesAsync(last, [7, 0, 0, 0, 0, 0, 0, 0, 1, 0]);

        Assert.Equal(["outlived"], StepSpool.Leftovers(_root.Path));
        using var spool = StepSpool.Reopen(_root.Path, "outlived", segmentBytes: 64);
        Assert.Equal(6, spool.LastSeq);
        Assert.Equal(at.AddSeconds(5), spool.LastOutputAt);
        Assert.Equal([1, 2, 3], spool.Assignment()!.Value.Assignment);
        Assert.Null(spool.Result);
        await spool.WriteAsync(Chunk(7), CancellationToken.None);
        await spool.WriteAsync(Chunk(7), CancellationToken.None);

        var all = spool.After(0, 100);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), all.Select(c => c.Seq));
        Assert.Equal("runner line\n", Encoding.UTF8.GetString(all[5].Data.Span));
        Assert.Equal("line 7\n", Encoding.UTF8.GetString(all[6].Data.Span));
    }

    [Fact]
    public void A_leftover_without_a_spool_reopens_empty()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "never-wrote"));

        using var spool = StepSpool.Reopen(_root.Path, "never-wrote");

        Assert.Equal(0, spool.LastSeq);
        Assert.Null(spool.LastOutputAt);
        Assert.Null(spool.Assignment());
        Assert.Empty(spool.After(0, 10));
    }

    public void Dispose() => _root.Dispose();

    private static LogChunk Chunk(long seq) =>
        new("exec", seq, seq % 2 == 0 ? LogStream.Stdout : LogStream.Stderr, DateTimeOffset.UtcNow, Encoding.UTF8.GetBytes($"line {seq}\n"));
}
