using System.CommandLine;
using LazyAf.Cli.Commands;

namespace LazyAf.Cli;

/// <summary>
/// The <c>lazyaf</c> command line: parses the arguments, runs the command, and turns any failure
/// into exit code 1 and exactly one line on stderr that starts with <c>lazyaf: </c>.
/// </summary>
public static class CliApp
{
    private const string Prefix = "lazyaf: ";

    /// <summary>Runs one command line in <paramref name="context"/>; returns the exit code (0 ok, non-zero failure).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CliContext context, CancellationToken ct = default)
    {
        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            // Exceptions come to us instead, so the user sees one line rather than a stack trace.
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return await CreateRootCommand(context).Parse(args).InvokeAsync(invocation, ct);
        }
        catch (CliFailure failure)
        {
            return await FailAsync(context, failure.Message);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return await FailAsync(context, "cancelled");
        }
        catch (Exception unexpected)
        {
            return await FailAsync(context, $"unexpected {unexpected.GetType().Name}: {unexpected.Message}");
        }
    }

    private static RootCommand CreateRootCommand(CliContext context)
    {
        var server = new ServerOptions();
        return new RootCommand("lazyaf: ingest repositories into LazyAF, work their cards, follow their runs, and land its branches on your real remotes.")
        {
            server.Server,
            server.Token,
            server.DataDir,
            IngestCommand.Create(context, server),
            LandCommand.Create(context, server),
            ReposCommand.Create(context, server),
            RepoCommand.Create(context, server),
            BranchesCommand.Create(context, server),
            CardsCommand.Create(context, server),
            CardCommand.Create(context, server),
            LogsCommand.Create(context, server),
            PipelineCommand.Create(context, server),
            RunCommand.Create(context, server),
            WebhookCommand.Create(context, server),
            LoginCommand.Create(context, server),
            TokenCommand.Create(context, server),
            RunnersCommand.Create(context, server),
            RunnerCommand.Create(context, server),
            UserCommand.Create(context, server),
            GitCredentialCommand.Create(context, server),
            McpCommand.Create(context, server),
        };
    }

    private static async Task<int> FailAsync(CliContext context, string message)
    {
        // Messages may quote git or the server, which can span lines; the contract is one line.
        var oneLine = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        await context.Error.WriteLineAsync(Prefix + oneLine);
        return 1;
    }
}
