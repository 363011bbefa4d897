using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf card start CARD [-f]</c> and <c>lazyaf card retry CARD [-f]</c>: run the card's step (again) as a new
/// attempt, and print the attempt's execution id alone on the first line, for scripts. With <c>-f</c> they follow
/// its output like <c>lazyaf logs -f</c>, then print where the card ended and exit 1 unless it is in review.
/// <c>lazyaf card follow-up CARD -m MESSAGE [-f]</c> continues an agent card's session the same way.
/// They differ only in the endpoint, so one file makes all three.
/// </summary>
internal static class CardRunCommand
{
    public const string FollowUp = "follow-up";

    public static Command Create(CliContext context, ServerOptions server, string action, string description, string done)
    {
        var cardArgument = CardArgument.Create();
        var follow = LogsCommand.FollowOption("Stream the step's output until it ends, then print the card's status; exit 1 unless it is in review");
        var command = new Command(action, description) { cardArgument, follow };
        var message = new Option<string>("--message", "-m") { Description = "What the agent should do next", Required = true };
        if (action == FollowUp)
            command.Options.Add(message);
        command.SetAction(async (parse, ct) =>
        {
            var following = parse.GetValue(follow);
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await CardArgument.ResolveAsync(api, parse.GetValue(cardArgument)!, ct);
            var card = (action == FollowUp ? await api.FollowUpCardAsync(id, parse.GetValue(message)!, ct) : await api.RunCardAsync(id, action, ct))
                ?? throw CardArgument.NotFound(id);
            if (card.Attempts is not [.., { ExecutionId: { } executionId } attempt])
                throw new CliFailure($"LazyAF answered {action} of card {id} without the new attempt (is it the same version as the CLI?)");
            await context.Output.WriteLineAsync(executionId);
            await context.Output.WriteLineAsync($"{done} card {id}: attempt {attempt.Number} on branch {attempt.Branch ?? card.BranchName}"
                + (following ? "" : $" (follow with: lazyaf logs {executionId} -f)"));
            return following ? await FollowAsync(api, context, id, executionId, ct) : 0;
        });
        return command;
    }

    /// <summary>Streams the attempt's output like <c>lazyaf logs -f</c>, waits for the card to follow its end, and says where the card is.</summary>
    private static async Task<int> FollowAsync(ApiClient api, CliContext context, string cardId, string executionId, CancellationToken ct)
    {
        // The execution is created from the start's durable request, so it can lag the 202 by a moment.
        await HostCatchUp.WaitForAsync(() => api.FindExecutionAsync(executionId, ct), $"LazyAF has not created execution {executionId} of card {cardId}", ct);
        // How the execution ended is left to the card's status, so a failure stays one line.
        await LogsCommand.FollowAsync(api, context, executionId, afterSeq: 0, ct);
        // The attempt's outcome can be recorded a moment before the card moves on; both, or a second command races the move.
        var card = await HostCatchUp.WaitForAsync(
            async () => await api.FindCardAsync(cardId, ct) is { Status: not "in_progress" } now
                && now.Attempts.Exists(a => a.ExecutionId == executionId && a.Outcome is not null) ? now : null,
            $"card {cardId} has not followed the end of execution {executionId}", ct);
        var reason = (await api.ListCardTransitionsAsync(cardId, ct))?.LastOrDefault()?.Reason is { } said ? $": {said}" : "";
        if (card.Status != "in_review")
            throw new CliFailure(card.Status == "failed" ? $"card {cardId} failed{reason}" : $"card {cardId} is {card.Status}{reason}");
        await context.Output.WriteLineAsync($"Card {cardId} is in_review{reason}");
        return 0;
    }
}
