using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf debug RUN [--break STEP]… [--pause-on-failure]</c>: re-runs a pipeline run in debug mode and follows it, a
/// line per state change, until it pauses; then prints the session and how to open its shell, resume or abort it.
/// <c>lazyaf debug resume|abort|rerun-step SID</c> and <c>lazyaf debug mark SID passed|failed</c> act on a session;
/// <c>lazyaf debug shell SID</c> attaches to its shell. SID is an open session's id, a unique prefix or its last 8 characters.
/// </summary>
internal static class DebugCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    // A follower that says nothing for this long says it is still waiting, and for what.
    private static readonly TimeSpan Quiet = TimeSpan.FromSeconds(10);

    public static Command Create(CliContext context, ServerOptions server)
    {
        var run = RunArgument.Create();
        var breaks = new Option<string[]>("--break") { Description = "A step (id or name) to pause before; repeatable", HelpName = "STEP" };
        var pauseOnFailure = new Option<bool>("--pause-on-failure") { Description = "Pause after a step that fails, in what it left, instead of failing" };
        var command = new Command("debug", "Re-run a pipeline run in debug mode and wait until it pauses; then open its shell, resume or abort it")
        {
            run, breaks, pauseOnFailure,
            SessionAction(context, server, "resume", "End the session and let the run go on"),
            SessionAction(context, server, "abort", "End the session and cancel its run"),
            SessionAction(context, server, "rerun-step", "Run the failed step again in its workspace (a session after a failure)"),
            MarkCommand(context, server),
            DebugShellCommand.Create(context, server),
        };
        command.SetAction(async (parse, ct) =>
        {
            var steps = parse.GetValue(breaks) ?? [];
            if (steps.Length == 0 && !parse.GetValue(pauseOnFailure))
                throw new CliFailure("debug needs --break STEP or --pause-on-failure: with neither the run would never pause");
            using var api = new ApiClient(server.Connect(parse, context));
            var original = await RunArgument.ResolveAsync(api, parse.GetValue(run)!, ct);
            var started = await api.StartDebugRerunAsync(original, new DebugRerunRequest([.. steps], parse.GetValue(pauseOnFailure), null), ct)
                ?? throw RunArgument.NotFound(original);
            await context.Output.WriteLineAsync($"Started debug re-run {started.RunId} of run {original}");
            return await FollowAsync(api, context, started.RunId, ct);
        });
        return command;
    }

    /// <summary>Follows the run until it pauses (printing its session) or ends; each change of the run or a step is a line.</summary>
    private static async Task<int> FollowAsync(ApiClient api, CliContext context, string runId, CancellationToken ct)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        var said = DateTimeOffset.UtcNow;
        async Task SayAsync(string line)
        {
            await context.Output.WriteLineAsync(line);
            await context.Output.FlushAsync(ct);
            said = DateTimeOffset.UtcNow;
        }
        while (true)
        {
            var run = await api.FindDebugRunAsync(runId, ct) ?? throw RunArgument.NotFound(runId);
            if (states.GetValueOrDefault("") != run.State)
                await SayAsync($"run {run.Id}: {run.State}");
            states[""] = run.State;
            foreach (var step in run.Steps.Where(s => states.GetValueOrDefault("step:" + s.Id) != s.State))
            {
                states["step:" + step.Id] = step.State;
                await SayAsync($"step {step.Id}: {step.State}" + (step.Error is { } error && step.State == "failed" ? $" ({error})" : ""));
            }
            if (run.State == "paused" && (await api.ListDebugSessionsAsync(runId, ct)).LastOrDefault(s => s.State is "waiting" or "connected") is { } session)
            {
                await SayAsync($"Paused {(session.AfterFailure ? "after failed" : "before")} step {session.StepId}: debug session {session.Id} (waits until {session.ExpiresAt:u})");
                await SayAsync($"  open its shell:  lazyaf debug shell {session.Id}");
                if (session.AfterFailure)
                    await SayAsync($"  run it again:    lazyaf debug rerun-step {session.Id}");
                await SayAsync($"  resume the run:  lazyaf debug resume {session.Id}");
                await SayAsync($"  abort the run:   lazyaf debug abort {session.Id}");
                return 0;
            }
            if (run.IsFinished)
            {
                if (run.State != "passed")
                    throw new CliFailure($"debug re-run {run.Id} ended {run.State} without pausing: {run.Error}");
                await SayAsync($"Debug re-run {run.Id} passed without pausing");
                return 0;
            }
            if (DateTimeOffset.UtcNow - said > Quiet)
                await SayAsync($"run {run.Id}: still {run.State}, waiting for it to pause");
            await Task.Delay(Poll, ct);
        }
    }

    private static Command SessionAction(CliContext context, ServerOptions server, string action, string description)
    {
        var session = SessionArgument();
        var command = new Command(action, description) { session };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ResolveSessionAsync(api, parse.GetValue(session)!, ct);
            var ended = await api.ActOnDebugSessionAsync(id, action, ct) ?? throw SessionNotFound(id);
            await SayEndedAsync(context, ended);
            return 0;
        });
        return command;
    }

    private static Command MarkCommand(CliContext context, ServerOptions server)
    {
        var session = SessionArgument();
        var outcome = new Argument<string>("outcome") { Description = "passed (the run goes on as if the step had passed) or failed (it fails as it would have)" };
        outcome.AcceptOnlyFromAmong("passed", "failed");
        var command = new Command("mark", "Mark the failed step of a session after a failure passed or failed, and let the run go on") { session, outcome };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var id = await ResolveSessionAsync(api, parse.GetValue(session)!, ct);
            await SayEndedAsync(context, await api.MarkDebugStepAsync(id, parse.GetValue(outcome)!, ct) ?? throw SessionNotFound(id));
            return 0;
        });
        return command;
    }

    private static Task SayEndedAsync(CliContext context, DebugSession ended) =>
        context.Output.WriteLineAsync($"Debug session {ended.Id} is {ended.State}" + (ended.EndReason is { } why ? $": {why}" : ""));

    public static Argument<string> SessionArgument() =>
        new("session") { Description = "The debug session's id, a unique prefix or its last 8 characters (lazyaf debug RUN prints it)" };

    /// <summary>The whole id of the open session <paramref name="given"/> names; a <see cref="CliFailure"/> when none or several do.</summary>
    public static async Task<string> ResolveSessionAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var open = await api.ListOpenDebugSessionsAsync(ct);
        return IdPrefix.Pick("debug session", given, open.Select(s => new Candidate(s.Id, $"step {s.StepId}, {s.State}")),
            c => IdPrefix.Matches(c.Id, given), () => SessionNotFound(given));
    }

    public static CliFailure SessionNotFound(string id) => new($"no debug session '{id}'");
}
