using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf login</c>: a new one-time link that logs a browser into the board (the host prints one at start too).</summary>
internal static class LoginCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var command = new Command("login", "Print a one-time link that logs your browser into the board");
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var link = await api.CreateLoginLinkAsync(ct);
            await context.Output.WriteLineAsync(link.Url);
            await context.Output.WriteLineAsync($"  open it once before {CardText.Time(link.ExpiresAt)}");
            return 0;
        });
        return command;
    }
}
