using System.Text;
using LazyAf.Testing;

namespace LazyAf.Runner.Tests;

public sealed class LogTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>
{
    [Fact]
    public async Task Chunks_are_numbered_from_one_without_gaps_and_keep_stdout_and_stderr_apart()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        var spec = bed.Script("echo out1; echo err1 >&2; echo out2");

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(Enumerable.Range(1, sink.Chunks.Count).Select(i => (long)i), sink.Chunks.Select(c => c.Seq));
        Assert.All(sink.Chunks, c => Assert.Equal(spec.ExecutionId, c.ExecutionId));
        Assert.Equal("out1\nout2\n", sink.Text(LogStream.Stdout));
        Assert.Equal("err1\n", sink.Text(LogStream.Stderr));
        Assert.Contains("$ bash -e -c echo out1", sink.Text(LogStream.System), StringComparison.Ordinal);
        Assert.Contains("out2", result.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_log_reads_in_the_order_things_happened_across_streams()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        await bed.RunAsync(bed.Script("echo out1; sleep 0.3; echo err1 >&2; sleep 0.3; echo out2"), sink);

        var lines = sink.AllText.Split('\n');
        var command = Array.FindIndex(lines, l => l.StartsWith("$ bash -e -c", StringComparison.Ordinal));
        Assert.True(command >= 0, sink.AllText);
        Assert.Equal(["out1", "err1", "out2"], lines[(command + 1)..(command + 4)]);
    }

    [Fact]
    public async Task Chunks_never_split_a_UTF8_character_so_each_decodes_on_its_own()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        await bed.RunAsync(bed.Script("for i in 1 2 3 4 5 6 7 8; do printf 'héllo wörld ✓ 🚀 '; done; echo"), sink, new StepRunnerOptions { MaxChunkBytes = 7 });

        var stdout = sink.Chunks.Where(c => c.Stream == LogStream.Stdout).ToList();
        Assert.True(stdout.Count > 10);
        Assert.All(stdout, c => Assert.DoesNotContain('\uFFFD', Encoding.UTF8.GetString(c.Data.Span)));
        Assert.Equal(string.Concat(Enumerable.Repeat("héllo wörld ✓ 🚀 ", 8)) + "\n", sink.Text(LogStream.Stdout));
    }

    [Fact]
    public async Task Output_reaches_the_sink_while_the_step_still_runs()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();

        await bed.RunAsync(bed.Script("echo first; sleep 2; echo second"), sink);

        var first = sink.Chunks.Single(c => c.Stream == LogStream.Stdout && Encoding.UTF8.GetString(c.Data.Span).Contains("first", StringComparison.Ordinal));
        var second = sink.Chunks.Single(c => c.Stream == LogStream.Stdout && Encoding.UTF8.GetString(c.Data.Span).Contains("second", StringComparison.Ordinal));
        Assert.True(second.At - first.At > TimeSpan.FromSeconds(1), $"first at {first.At:O}, second at {second.At:O}");
    }

    [Fact]
    public async Task A_secret_never_appears_in_any_chunk_even_when_printed_in_pieces()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new RecordingSink();
        // The pause is longer than the flush interval: a runner that shipped "abc" on its own would leak the secret's half.
        var spec = bed.Script("printf abc; sleep 0.3; printf 'def\\n'; echo \"token=$API_TOKEN\" >&2; echo ok", new() { ["API_TOKEN"] = "abcdef" });

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.All(sink.Chunks, c => Assert.DoesNotContain("abcdef", Encoding.UTF8.GetString(c.Data.Span), StringComparison.Ordinal));
        Assert.Equal("***\nok\n", sink.Text(LogStream.Stdout));
        Assert.Equal("token=***\n", sink.Text(LogStream.Stderr));
        Assert.DoesNotContain("abcdef", result.LogTail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_hundred_megabytes_of_output_stream_through_without_growing_memory()
    {
        await using var bed = await RunnerTestBed.CreateAsync(fixture.Host);
        var sink = new CountingSink();
        var spec = bed.Script("head -c 200000000 /dev/zero | tr '\\0' 'a'", new() { ["API_TOKEN"] = "s3cr3t-value" });

        var result = await bed.RunAsync(spec, sink);

        Assert.Equal(StepOutcome.Succeeded, result.Outcome);
        Assert.Equal(200_000_000, sink.StdoutBytes);
        Assert.True(sink.OnlyAs);
        Assert.True(sink.PeakHeapGrowth < 150_000_000, $"the managed heap grew by {sink.PeakHeapGrowth:N0} bytes");
        Assert.InRange(result.LogTail.Length, 1, 64 * 1024);
    }

    /// <summary>Counts stdout bytes and watches the managed heap, keeping nothing.</summary>
    private sealed class CountingSink : ILogSink
    {
        private readonly long _baseline = GC.GetTotalMemory(forceFullCollection: true);
        private long _peak;

        public long StdoutBytes { get; private set; }

        public bool OnlyAs { get; private set; } = true;

        public long PeakHeapGrowth => _peak - _baseline;

        public ValueTask WriteAsync(LogChunk chunk, CancellationToken ct)
        {
            if (chunk.Stream == LogStream.Stdout)
            {
                StdoutBytes += chunk.Data.Length;
                OnlyAs &= !chunk.Data.Span.ContainsAnyExcept((byte)'a');
            }
            if (chunk.Seq % 500 == 0)
                _peak = Math.Max(_peak, GC.GetTotalMemory(forceFullCollection: false));
            return ValueTask.CompletedTask;
        }
    }
}
