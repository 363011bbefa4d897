using System.CommandLine;
using System.Globalization;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf logs EXECUTION [-f] [--after SEQ]</c>: an execution's output as it arrives, stdout and the runner's
/// account to stdout, stderr to stderr. With <c>-f</c> it follows until the execution ends, says how it ended on
/// stderr, and exits 1 unless it succeeded.
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
        var command = new Command("logs", "Print an execution's output; -f follows it until it ends") { execution, follow, after };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ExecutionArgument.ResolveAsync(api, parse.GetValue(execution)!, ct);
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
    public static async Task<Execution> FollowAsync(ApiClient api, CliContext context, string id, long afterSeq, CancellationToken ct)
    {
        var writer = new LogWriter(context.Output, context.Error);
        if (!await api.ReadLogsAsync(id, afterSeq, follow: true, writer.WriteAsync, ct))
            throw NotFound(id);
        await writer.EndLinesAsync();
        var ended = await api.FindExecutionAsync(id, ct) ?? throw NotFound(id);
        return ended.IsFinished ? ended : throw new CliFailure($"the output of execution {id} stopped while it is still {ended.State}");
    }

    private static CliFailure NotFound(string id) => ExecutionArgument.NotFound(id);
}
