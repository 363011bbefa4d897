using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf token create|list|revoke</c>: API tokens with scopes (needs an admin token, such as the owner's).</summary>
internal static class TokenCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("token", "Make, list and revoke API tokens")
    {
        Make(context, server),
        List(context, server),
        Revoke(context, server),
    };

    private static Command Make(CliContext context, ServerOptions server)
    {
        var name = new Argument<string>("name") { Description = "What the token is for (e.g. ci)" };
        var scopes = new Option<string[]>("--scope")
        {
            Description = "A scope it carries: read, cards, pipelines, runners, secrets or admin (repeat or comma-separate)",
            Required = true,
            AllowMultipleArgumentsPerToken = true,
        };
        var user = new Option<string?>("--user") { Description = "The user it speaks for (default: yours)" };
        var days = new Option<int?>("--expires-in-days") { Description = "When it stops working (default: 90 days)" };
        var command = new Command("create", "Make a token; prints it once, on the first line") { name, scopes, user, days };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var requested = parse.GetValue(scopes)!.SelectMany(s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var made = await api.CreateTokenAsync(new CreateTokenRequest(parse.GetValue(name)!, requested, parse.GetValue(user), parse.GetValue(days)), ct);
            await context.Output.WriteLineAsync(made.Token);
            await context.Output.WriteLineAsync($"  id {made.Details.Id}, user {made.Details.User}, scopes {string.Join(',', made.Details.Scopes)}, "
                + (made.Details.ExpiresAt is { } expires ? $"expires {CardText.Time(expires)}" : "never expires"));
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context, ServerOptions server)
    {
        var json = JsonOutput.CreateOption();
        var command = new Command("list", "List every token (never their values)") { json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var tokens = await api.ListTokensAsync(ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, tokens, ApiJson.Default.ListToken);
                return 0;
            }
            var table = new TextTable("ID", "USER", "KIND", "NAME", "SCOPES", "EXPIRES", "LAST USED", "STATE");
            foreach (var token in tokens)
            {
                table.Add(token.Id, token.User, token.Kind, token.Name, string.Join(',', token.Scopes),
                    token.ExpiresAt is { } expires ? CardText.Time(expires) : "never",
                    token.LastUsedAt is { } used ? CardText.Time(used) : "never",
                    token.RevokedAt is not null ? "revoked" : token.ExpiresAt < DateTimeOffset.UtcNow ? "expired" : "live");
            }
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }

    private static Command Revoke(CliContext context, ServerOptions server)
    {
        var id = new Argument<string>("id") { Description = "The token's id, a unique prefix or its last 8 characters (from lazyaf token list)" };
        var command = new Command("revoke", "Revoke a token at once") { id };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var tokenId = await ResolveAsync(api, parse.GetValue(id)!, ct);
            if (!await api.RevokeTokenAsync(tokenId, ct))
                throw NotFound(tokenId);
            await context.Output.WriteLineAsync($"Revoked token {tokenId}");
            return 0;
        });
        return command;
    }

    /// <summary>The whole id of the token <paramref name="given"/> names: its id, a unique prefix or its last 8 characters.</summary>
    private static async Task<string> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var tokens = await api.ListTokensAsync(ct);
        return IdPrefix.Pick("token", given, tokens.Select(t => new Candidate(t.Id, $"{t.Name} of {t.User}")), c => IdPrefix.Matches(c.Id, given), () => NotFound(given));
    }

    private static CliFailure NotFound(string given) => new($"LazyAF has no token '{given}' (lazyaf token list lists them)");
}
