using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf secret list|set|delete [--repo REPO]</c>: a repo's secrets, or with no <c>--repo</c> those every repo's steps can name.
/// Values go in only (from <c>--value</c> or stdin) and are never shown.
/// </summary>
internal static class SecretCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("secret", "List, set and delete secrets (a repo's with --repo, else the global ones)")
    {
        List(context, server),
        Set(context, server),
        Delete(context, server),
    };

    private static Option<string?> RepoOption() => new("--repo", "-r") { Description = "The repo's name or id (default: the global secrets, which every repo's steps can name)" };

    private static Argument<string> NameArgument() => new("name") { Description = "The secret's name, as the step's environment variable is named" };

    private static Command List(CliContext context, ServerOptions server)
    {
        var repo = RepoOption();
        var json = JsonOutput.CreateOption();
        var command = new Command("list", "List secrets' names and when they were set (never their values)") { repo, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var (repoId, where) = await ScopeAsync(api, parse.GetValue(repo), ct);
            var secrets = await api.ListSecretsAsync(repoId, ct) ?? throw RepoArgument.NotFound(where);
            if (parse.GetValue(json))
                await JsonOutput.WriteAsync(context.Output, secrets, ApiJson.Default.ListSecret);
            else if (secrets.Count == 0)
                await context.Output.WriteLineAsync($"{where} has no secrets");
            else
            {
                var table = new TextTable("NAME", "UPDATED");
                foreach (var secret in secrets)
                    table.Add(secret.Name, CardText.Time(secret.UpdatedAt));
                await table.WriteToAsync(context.Output);
            }
            return 0;
        });
        return command;
    }

    private static Command Set(CliContext context, ServerOptions server)
    {
        var repo = RepoOption();
        var name = NameArgument();
        var value = new Option<string?>("--value") { Description = "The value (default: read from stdin, which keeps it out of your shell's history)" };
        var command = new Command("set", "Create or replace a secret; steps that name it get it as an environment variable") { name, repo, value };
        command.SetAction(async (parse, ct) =>
        {
            var secret = parse.GetValue(value) ?? (await context.Input.ReadToEndAsync(ct)).TrimEnd('\r', '\n');
            if (secret.Length == 0)
                throw new CliFailure("a secret needs a value: pass --value or pipe it to stdin");
            using var api = new ApiClient(server.Connect(parse, context));
            var (repoId, where) = await ScopeAsync(api, parse.GetValue(repo), ct);
            if (!await api.SetSecretAsync(repoId, parse.GetValue(name)!, secret, ct))
                throw RepoArgument.NotFound(where);
            await context.Output.WriteLineAsync($"Set secret {parse.GetValue(name)} of {where}");
            return 0;
        });
        return command;
    }

    private static Command Delete(CliContext context, ServerOptions server)
    {
        var repo = RepoOption();
        var name = NameArgument();
        var command = new Command("delete", "Delete a secret") { name, repo };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var (repoId, where) = await ScopeAsync(api, parse.GetValue(repo), ct);
            if (!await api.DeleteSecretAsync(repoId, parse.GetValue(name)!, ct))
                throw new CliFailure($"{where} has no secret '{parse.GetValue(name)}' (lazyaf secret list{(repoId is null ? "" : " --repo " + where)} lists them)");
            await context.Output.WriteLineAsync($"Deleted secret {parse.GetValue(name)} of {where}");
            return 0;
        });
        return command;
    }

    /// <summary>The repo the option names (its id and name), or null and "LazyAF" for the global secrets.</summary>
    private static async Task<(string? RepoId, string Where)> ScopeAsync(ApiClient api, string? repo, CancellationToken ct)
    {
        if (repo is null)
            return (null, "LazyAF");
        var found = await RepoArgument.ResolveAsync(api, repo, ct);
        return (found.Id, found.Name);
    }
}
