using System.CommandLine;
using System.CommandLine.Parsing;
using LazyAf.Cli.Commands;

namespace LazyAf.Cli;

/// <summary>
/// The <c>lazyaf</c> command line: parses the arguments, runs the command, and turns any failure
/// into exit code 1 (2 for a command line that does not parse) and exactly one line on stderr that starts with <c>lazyaf: </c>.
/// </summary>
public static class CliApp
{
    private const string Prefix = "lazyaf: ";
    private const int UsageExitCode = 2;

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
            var parse = CreateRootCommand(context).Parse(args);
            if (parse.Errors.Count > 0)
                return await UsageErrorAsync(context, parse);
            return await parse.InvokeAsync(invocation, ct);
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
        var root = new RootCommand("lazyaf: ingest repositories into LazyAF, work their cards, follow their runs, try agents in the playground, "
            + "and land its branches on your real remotes (sync brings the remotes' new commits back).\n\n"
            + "Ids: wherever one is taken, a unique prefix of it or its last 8 characters (a card's branch suffix) will do.\n"
            + "Listings and shows take --json. Shell completion: source <(lazyaf completion bash).\n\n"
            + "Exit codes: 0 done, 1 failed (one line on stderr starting with 'lazyaf: '), 2 usage error (the same, with where the help is).")
        {
            server.Server,
            server.Token,
            server.DataDir,
            IngestCommand.Create(context, server),
            LandCommand.Create(context, server),
            SyncCommand.Create(context, server),
            ReposCommand.Create(context, server),
            RepoCommand.Create(context, server),
            BranchesCommand.Create(context, server),
            CardsCommand.Create(context, server),
            CardCommand.Create(context, server),
            LogsCommand.Create(context, server),
            PipelineCommand.Create(context, server),
            RunCommand.Create(context, server),
            WebhookCommand.Create(context, server),
            ExecutionCommand.Create(context, server),
            ApprovalsCommand.Create(context, server),
            SecretCommand.Create(context, server),
            LoginCommand.Create(context, server),
            TokenCommand.Create(context, server),
            RunnersCommand.Create(context, server),
            RunnerCommand.Create(context, server),
            UserCommand.Create(context, server),
            GitCredentialCommand.Create(context, server),
            TestsCommand.Create(context, server),
            TestCommand.Create(context, server),
            ArtifactsCommand.List(context, server),
            ArtifactsCommand.Get(context, server),
            AgentsCommand.Create(context, server),
            AgentFileCommand.Create(context, server),
            PlaygroundCommand.Create(context, server),
            McpCommand.Create(context, server),
            DebugCommand.Create(context, server),
        };
        root.Add(CompletionCommand.Create(context, root));
        return root;
    }

    /// <summary>
    /// A command line that does not parse: the first error and where its help is, in the one-line form every failure
    /// takes (the whole help hid the error), and exit code 2 so scripts can tell a usage error from a failure.
    /// </summary>
    private static async Task<int> UsageErrorAsync(CliContext context, ParseResult parse)
    {
        var path = new List<string>();
        for (SymbolResult? at = parse.CommandResult; at is CommandResult command; at = command.Parent)
            path.Insert(0, command.Parent is null ? "lazyaf" : command.Command.Name);
        // "Required command was not provided" comes with any unknown word in a command's place; the unknown word says more.
        var error = parse.Errors.OrderBy(e => e.Message.StartsWith("Required command", StringComparison.Ordinal) ? 1 : 0).First();
        await FailAsync(context, $"{error.Message.TrimEnd('.')} (see: {string.Join(' ', path)} --help)");
        return UsageExitCode;
    }

    private static async Task<int> FailAsync(CliContext context, string message)
    {
        // Messages may quote git or the server, which can span lines; the contract is one line.
        var oneLine = string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        await context.Error.WriteLineAsync(Prefix + oneLine);
        return 1;
    }
}
