using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf agents</c>: the agent CLIs the host knows, whether each was found, its version and models.</summary>
internal static class AgentsCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var json = JsonOutput.CreateOption();
        var command = new Command("agents", "List the agent kinds the host's runners can run, and whether each CLI was found") { json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var agents = await api.ListAgentsAsync(ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, agents, AgentsJson.Default.ListAgentCli);
                return 0;
            }
            var table = new TextTable("AGENT", "AVAILABLE", "VERSION", "RUNNER", "MODELS", "PATH");
            foreach (var agent in agents)
            {
                table.Add(agent.Kind, agent.Available ? "yes" : "no", agent.Version ?? "-", agent.Runner,
                    agent.Models.Count == 0 ? "-" : string.Join(',', agent.Models), agent.Path ?? "not found");
            }
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
