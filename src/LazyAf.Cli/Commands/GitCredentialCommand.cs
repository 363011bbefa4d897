using System.CommandLine;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf git-credential get</c>: git's credential-helper protocol. git writes <c>key=value</c> lines
/// (<c>protocol</c>, <c>host</c>, …) and a blank line; for an http(s) LazyAF the answer is a user name and the
/// token as the password. <c>store</c> and <c>erase</c> do nothing: the token is never kept anywhere else.
/// </summary>
internal static class GitCredentialCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var action = new Argument<string>("action") { Description = "get, store or erase (git passes it)" };
        var command = new Command("git-credential", "Answer git's credential requests for LazyAF (git runs this; lazyaf ingest sets it up)") { action };
        command.SetAction(async (parse, ct) =>
        {
            var request = await ReadRequestAsync(context.Input, ct);
            if (parse.GetValue(action) != "get"
                || request.GetValueOrDefault("protocol") is not ("http" or "https")
                || !Uri.TryCreate($"{request["protocol"]}://{request.GetValueOrDefault("host")}", UriKind.Absolute, out var target))
                return 0;
            if (server.ConnectTo(target, parse, context).Token is { } token)
                await context.Output.WriteAsync($"username=lazyaf\npassword={token}\n");
            return 0;
        });
        return command;
    }

    private static async Task<Dictionary<string, string>> ReadRequestAsync(TextReader input, CancellationToken ct)
    {
        var request = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await input.ReadLineAsync(ct) is { Length: > 0 } line)
        {
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
                request[line[..equals]] = line[(equals + 1)..];
        }
        return request;
    }
}
