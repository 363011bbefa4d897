using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf user add|list</c>: the named users tokens speak for (needs an admin token, such as the owner's).</summary>
internal static class UserCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("user", "Add and list users")
    {
        Add(context, server),
        List(context, server),
    };

    private static Command Add(CliContext context, ServerOptions server)
    {
        var name = new Argument<string>("name") { Description = "The user's name (lower-case letters, digits, '.', '_', '-')" };
        var command = new Command("add", "Add a user; then make it a token with: lazyaf token create NAME --user USER --scope …") { name };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var user = await api.CreateUserAsync(parse.GetValue(name)!, ct);
            await context.Output.WriteLineAsync($"Added user {user.Name} (id {user.Id})");
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context, ServerOptions server)
    {
        var json = JsonOutput.CreateOption();
        var command = new Command("list", "List the users") { json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var users = await api.ListUsersAsync(ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, users, ApiJson.Default.ListUser);
                return 0;
            }
            var table = new TextTable("NAME", "ID", "OWNER", "CREATED");
            foreach (var user in users)
                table.Add(user.Name, user.Id, user.Owner ? "yes" : "", CardText.Time(user.CreatedAt));
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
