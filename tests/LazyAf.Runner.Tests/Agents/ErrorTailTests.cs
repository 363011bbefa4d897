using System.Text;
using LazyAf.Runner.Agents;

namespace LazyAf.Runner.Tests.Agents;

public sealed class ErrorTailTests
{
    [Fact]
    public async Task The_last_line_written_on_stderr_is_kept_across_writes_and_everything_passes_through()
    {
        var passed = new List<(LogStream, string)>();
        var tail = new ErrorTail(new Recording(passed));

        await tail.WriteAsync(LogStream.Stderr, Encoding.UTF8.GetBytes(new string('n', 10_000) + "\nfirst\nError: the ses"), default);
        await tail.WriteAsync(LogStream.Stdout, Encoding.UTF8.GetBytes("not an error\n"), default);
        await tail.WriteAsync(LogStream.Stderr, Encoding.UTF8.GetBytes("sion is gone \n\n"), default);

        Assert.Equal("Error: the session is gone", tail.LastLine());
        Assert.Equal([LogStream.Stderr, LogStream.Stdout, LogStream.Stderr], passed.Select(p => p.Item1));
        Assert.Equal(10_021, passed[0].Item2.Length);
    }

    [Fact]
    public async Task Nothing_on_stderr_is_no_line_and_a_long_line_is_cut()
    {
        var tail = new ErrorTail(new Recording([]));
        Assert.Null(tail.LastLine());

        await tail.WriteAsync(LogStream.Stderr, Encoding.UTF8.GetBytes(new string('x', 1000)), default);

        Assert.Equal(new string('x', 49) + "…", tail.LastLine(50));
    }

    private sealed class Recording(List<(LogStream, string)> into) : IStepOutput
    {
        public ValueTask WriteAsync(LogStream stream, ReadOnlyMemory<byte> data, CancellationToken ct)
        {
            into.Add((stream, Encoding.UTF8.GetString(data.Span)));
            return ValueTask.CompletedTask;
        }
    }
}
