using System.CommandLine;
using System.Globalization;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf runner token|drain|revoke</c>: registration tokens for new runners, and one runner's end.</summary>
internal static class RunnerCommand
{
    private const int MaxMinutes = 30 * 24 * 60;

    public static Command Create(CliContext context, ServerOptions server) => new("runner", "Register, drain and revoke remote runners")
    {
        Token(context, server),
        Drain(context, server),
        Revoke(context, server),
    };

    private static Command Token(CliContext context, ServerOptions server)
    {
        var expires = new Option<string?>("--expires") { Description = "How long it works: 30m, 12h, 7d (default 1h, at most 30d)" };
        var uses = new Option<string?>("--uses") { Description = "How many runners may register with it (default 1; 0 for any number until it expires)" };
        var description = new Option<string?>("--description") { Description = "A note for people (\"the Pi on the bench\")" };
        var command = new Command("token", "Make a registration token for lazyaf-native-agent --token; prints it once, on the first line") { expires, uses, description };
        command.SetAction(async (parse, ct) =>
        {
            var minutes = parse.GetValue(expires) is { } text ? Minutes(text) : (int?)null;
            var count = parse.GetValue(uses) is { } given ? Uses(given) : (int?)null;
            using var api = new ApiClient(server.Connect(parse, context));
            var made = await api.CreateRunnerTokenAsync(new CreateRunnerTokenRequest(parse.GetValue(description), minutes, count), ct);
            await context.Output.WriteLineAsync(made.Token);
            await context.Output.WriteLineAsync($"  id {made.Id}, expires {CardText.Time(made.ExpiresAt)}, "
                + (made.Uses is { } n ? $"{n} use{(n == 1 ? "" : "s")}" : "any number of uses"));
            return 0;
        });
        return command;
    }

    private static Command Drain(CliContext context, ServerOptions server)
    {
        var id = RunnerArgument();
        var command = new Command("drain", "Ask a runner to finish what it runs, take nothing new, and leave") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var runnerId = await ResolveAsync(api, parse.GetValue(id)!, ct);
            var runner = await api.DrainRunnerAsync(runnerId, ct) ?? throw NotFound(runnerId);
            await context.Output.WriteLineAsync($"Draining runner {runner.Id} ({runner.Name}): {runner.Executions.Count} running");
            return 0;
        });
        return command;
    }

    private static Command Revoke(CliContext context, ServerOptions server)
    {
        var id = RunnerArgument();
        var command = new Command("revoke", "Revoke a runner at once: its stream is closed, its steps fail, its credential is refused") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var runnerId = await ResolveAsync(api, parse.GetValue(id)!, ct);
            if (!await api.RevokeRunnerAsync(runnerId, ct))
                throw NotFound(runnerId);
            await context.Output.WriteLineAsync($"Revoked runner {runnerId}");
            return 0;
        });
        return command;
    }

    private static Argument<string> RunnerArgument() => new("id") { Description = "The runner's id, a unique prefix or its last 8 characters (from lazyaf runners)" };

    /// <summary>The whole id of the runner <paramref name="given"/> names (its id, a unique prefix, its last 8 characters, or its name).</summary>
    private static async Task<string> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var runners = await api.ListRunnersAsync(ct);
        return IdPrefix.Pick("runner", given, runners.Select(r => new Candidate(r.Id, $"{r.Name}, {r.State}")),
            c => IdPrefix.Matches(c.Id, given) || runners.Exists(r => r.Id == c.Id && r.Name == given), () => NotFound(given));
    }

    private static CliFailure NotFound(string given) => new($"LazyAF has no runner '{given}' (lazyaf runners lists them)");

    // "90" (minutes), "30m", "12h", "7d".
    private static int Minutes(string text)
    {
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? char.ToLowerInvariant(text[^1]) : 'm';
        var number = char.IsLetter(text.LastOrDefault()) ? text[..^1] : text;
        var factor = unit switch { 'm' => 1, 'h' => 60, 'd' => 24 * 60, _ => 0 };
        if (factor == 0 || !int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || (long)value * factor > MaxMinutes)
            throw new CliFailure($"--expires must be a duration such as 30m, 12h or 7d, at most 30d; '{text}' is not one");
        return value * factor;
    }

    private static int Uses(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new CliFailure($"--uses must be a whole number (0 for any number of runners); '{text}' is not one");
}
