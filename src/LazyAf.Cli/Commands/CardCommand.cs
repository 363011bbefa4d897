using System.CommandLine;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf card …</c>: one card's commands (create, show, edit, delete, diff, dependencies and the moves of its state machine).</summary>
internal static class CardCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("card", "Create, show, edit, start, cancel, review, retry and delete cards; see their diffs; make them wait for others")
    {
        CardCreateCommand.Create(context, server),
        CardShowCommand.Create(context, server),
        CardRunCommand.Create(context, server, "start", "Run a todo card's step (refused while a blocker is not done); prints the execution id first", "Started"),
        CardRunCommand.Create(context, server, "retry", "Run a failed or reviewed card's step again, as a new attempt; prints the execution id first", "Retrying"),
        CardRunCommand.Create(context, server, CardRunCommand.FollowUp, "Continue an agent card's session with a message, as a new attempt on its branch; prints the execution id first", "Following up"),
        CardCancelCommand.Create(context, server),
        CardApproveCommand.Create(context, server),
        CardRejectCommand.Create(context, server),
        CardDiffCommand.Create(context, server),
        CardEditCommand.Create(context, server),
        CardDeleteCommand.Create(context, server),
        CardDependencyCommands.Block(context, server),
        CardDependencyCommands.Unblock(context, server),
    };
}
