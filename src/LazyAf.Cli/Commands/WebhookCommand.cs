using System.CommandLine;
using System.Globalization;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf webhook add|list|delete</c>: the URLs that run a repo's pipelines when GitHub, GitLab or a script calls them.</summary>
internal static class WebhookCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("webhook", "Add, list and delete the webhooks that run a repo's pipelines")
    {
        Add(context, server),
        List(context, server),
        Delete(context, server),
    };

    private static Command Add(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var pipelineArgument = new Argument<string>("pipeline") { Description = "The name of the pipeline the webhook runs" };
        var provider = new Option<string>("--provider") { Description = "generic, github or gitlab", DefaultValueFactory = _ => "generic" };
        var secret = new Option<string?>("--secret") { Description = "GitHub's HMAC secret or GitLab's token (required for both); never shown again" };
        var command = new Command("add", "Register a webhook; prints its URL") { repoArgument, pipelineArgument, provider, secret };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var request = new AddWebhookRequest(parse.GetValue(pipelineArgument)!, parse.GetValue(provider)!, parse.GetValue(secret));
            var webhook = await api.AddWebhookAsync(repo.Id, request, ct) ?? throw RepoArgument.NotFound(repo.Name);
            await context.Output.WriteLineAsync(webhook.Url);
            return 0;
        });
        return command;
    }

    private static Command Delete(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var webhookArgument = new Argument<string>("webhook") { Description = "The webhook's id or a unique prefix of it (see: lazyaf webhook list REPO)" };
        var command = new Command("delete", "Delete a webhook; its URL answers 404 from then on") { repoArgument, webhookArgument };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var given = parse.GetValue(webhookArgument)!;
            var webhooks = await api.ListWebhooksAsync(repo.Id, ct) ?? throw RepoArgument.NotFound(repo.Name);
            CliFailure NotFound() => new($"{repo.Name} has no webhook '{given}' (lazyaf webhook list {repo.Name} lists them)");
            var id = IdPrefix.Pick("webhook", given, webhooks.Select(w => new Candidate(w.Id, $"{w.Pipeline}, {w.Provider}")), c => IdPrefix.Matches(c.Id, given), NotFound);
            if (!await api.DeleteWebhookAsync(repo.Id, id, ct))
                throw NotFound();
            await context.Output.WriteLineAsync($"Deleted webhook {id} of {repo.Name}");
            return 0;
        });
        return command;
    }

    private static Command List(CliContext context, ServerOptions server)
    {
        var repoArgument = RepoArgument.Create();
        var json = JsonOutput.CreateOption();
        var command = new Command("list", "List a repo's webhooks with their URLs") { repoArgument, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var repo = await RepoArgument.ResolveAsync(api, parse.GetValue(repoArgument)!, ct);
            var webhooks = await api.ListWebhooksAsync(repo.Id, ct) ?? throw RepoArgument.NotFound(repo.Name);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, webhooks, ApiJson.Default.ListWebhook);
                return 0;
            }
            var table = new TextTable("ID", "PIPELINE", "PROVIDER", "SECRET", "CREATED", "URL");
            foreach (var webhook in webhooks)
            {
                table.Add(webhook.Id, webhook.Pipeline, webhook.Provider, webhook.HasSecret ? "yes" : "no",
                    webhook.CreatedAt.ToString("yyyy-MM-dd HH:mm zzz", CultureInfo.InvariantCulture), webhook.Url);
            }
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }
}
