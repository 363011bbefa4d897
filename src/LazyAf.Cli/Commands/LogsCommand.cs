using System.CommandLine;
using System.Globalization;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf logs EXECUTION [-f] [--after SEQ]</c>: an execution's output as it arrives, stdout and the runner's
/// account to stdout, stderr to stderr. With <c>-f</c> it follows until the execution ends, says how it ended on
/// stderr, and exits 1 unless it succeeded; stopped with Ctrl-C it says how to cancel the execution. <c>--seq</c> marks each
/// chunk with its seq.
/// </summary>
internal static class LogsCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var execution = ExecutionArgument.Create();
        var follow = FollowOption("Keep streaming until the execution ends, then say how it ended; exit 1 unless it succeeded");
        var after = new Option<long>("--after")
        {
            Description = "Only the output after this seq (the last one you have)",
            HelpName = "SEQ",
            CustomParser = result =>
            {
                if (result.Tokens is [var token] && long.TryParse(token.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
                    return seq;
                result.AddError("--after takes the seq of the last output you have: a whole number, 0 or more.");
                return 0;
            },
        };
        var seq = new Option<bool>("--seq") { Description = "Start each chunk of output with its seq (what --after takes)" };
        var command = new Command("logs", "Print an execution's output; -f follows it until it ends") { execution, follow, after, seq };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ExecutionArgument.ResolveAsync(api, parse.GetValue(execution)!, ct);
            if (parse.GetValue(seq))
                return await WithSeqAsync(api, context, id, parse.GetValue(after), parse.GetValue(follow), ct);
            if (!parse.GetValue(follow))
            {
                if (!await api.ReadLogsAsync(id, parse.GetValue(after), follow: false, new LogWriter(context.Output, context.Error).WriteAsync, ct))
                    throw NotFound(id);
                return 0;
            }
            var ended = await FollowAsync(api, context, id, parse.GetValue(after), ct);
            if (ended.State != "succeeded")
                throw new CliFailure($"execution {id} ended {ended.Outcome}");
            await context.Error.WriteLineAsync($"execution {id} succeeded");
            return 0;
        });
        return command;
    }

    /// <summary>The <c>-f</c> that <c>logs</c>, <c>card start</c> and <c>card retry</c> share.</summary>
    public static Option<bool> FollowOption(string description) => new("--follow", "-f") { Description = description };

    /// <summary>
    /// Streams the execution's output after <paramref name="afterSeq"/> until the execution has ended, and answers
    /// it as it ended. The execution must exist already; a <see cref="CliFailure"/> when it does not.
    /// </summary>
    public static Task<Execution> FollowAsync(ApiClient api, CliContext context, string id, long afterSeq, CancellationToken ct) =>
        FollowAsync(api, context, id, afterSeq, $"execution {id}", $"lazyaf execution cancel {id}", ct);

    /// <summary>
    /// <see cref="FollowAsync(ApiClient, CliContext, string, long, CancellationToken)"/> for an execution that runs
    /// <paramref name="what"/>: stopped with Ctrl-C, it names that and <paramref name="cancelCommand"/>, the command that stops it.
    /// </summary>
    public static async Task<Execution> FollowAsync(ApiClient api, CliContext context, string id, long afterSeq, string what, string cancelCommand, CancellationToken ct)
    {
        var writer = new LogWriter(context.Output, context.Error);
        try
        {
            if (!await api.ReadLogsAsync(id, afterSeq, follow: true, writer.WriteAsync, ct))
                throw NotFound(id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await writer.EndLinesAsync();
            throw StillRunning.Failure(what, cancelCommand);
        }
        await writer.EndLinesAsync();
        var ended = await api.FindExecutionAsync(id, ct) ?? throw NotFound(id);
        return ended.IsFinished ? ended : throw new CliFailure($"the output of execution {id} stopped while it is still {ended.State}");
    }

    /// <summary>
    /// <c>--seq</c>: each chunk on lines of its own, <c>SEQ STREAM text</c>, all to stdout, so the last seq seen can be given to
    /// <c>--after</c> (a chunk can hold several lines, or part of one; its seq is on each of its lines).
    /// </summary>
    private static async Task<int> WithSeqAsync(ApiClient api, CliContext context, string id, long afterSeq, bool follow, CancellationToken ct)
    {
        async Task WriteAsync(LogLine chunk)
        {
            foreach (var line in chunk.Text.TrimEnd('\n').Split('\n'))
                await context.Output.WriteLineAsync($"{chunk.Seq.ToString(CultureInfo.InvariantCulture)} {chunk.Stream} {line.TrimEnd('\r')}");
        }
        try
        {
            if (!await api.ReadLogsAsync(id, afterSeq, follow, WriteAsync, ct))
                throw NotFound(id);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw StillRunning.Failure($"execution {id}", $"lazyaf execution cancel {id}");
        }
        return 0;
    }

    private static CliFailure NotFound(string id) => ExecutionArgument.NotFound(id);
}
