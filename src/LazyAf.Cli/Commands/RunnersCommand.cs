using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf runners</c>: every registered remote runner, its labels, state and what it runs.</summary>
internal static class RunnersCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var json = JsonOutput.CreateOption();
        var command = new Command("runners", "List the remote runners: labels, state, last heartbeat, executions") { json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var runners = await api.ListRunnersAsync(ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, runners, ApiJson.Default.ListRunner);
                return 0;
            }
            if (runners.Count == 0)
            {
                await context.Output.WriteLineAsync("No runners yet; make a registration token with: lazyaf runner token");
                return 0;
            }
            var table = new TextTable("ID", "NAME", "STATE", "CONNECTED", "CAPACITY", "LABELS", "LAST SEEN", "RUNNING");
            foreach (var runner in runners)
            {
                table.Add(runner.Id, runner.Name, runner.Draining ? $"{runner.State} (draining)" : runner.State, runner.Connected ? "yes" : "no",
                    runner.Capacity.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(',', runner.Labels),
                    runner.LastSeenAt is { } seen ? CardText.Time(seen) : "never",
                    runner.Executions.Count == 0 ? "-" : string.Join(',', runner.Executions));
            }
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
