using System.CommandLine;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf agent-file list|show|create|update|delete</c>: the platform's agent files (named instructions that a card's
/// <c>agent_files</c> or the playground give an agent), named by name, id or a unique prefix of the id.
/// </summary>
internal static class AgentFileCommand
{
    private const string Stdin = "-";

    public static Command Create(CliContext context, ServerOptions server) => new("agent-file", "List, show, create, update and delete agent files (instructions for agents)")
    {
        List(context, server),
        Show(context, server),
        Make(context, server),
        Update(context, server),
        Delete(context, server),
    };

    private static Argument<string> FileArgument() => new("agent-file") { Description = "The agent file's name, id or a unique prefix of its id (see: lazyaf agent-file list)" };

    private static Option<string?> ContentFileOption(string description) => new("--content-file") { Description = description, HelpName = "FILE" };

    private static Option<string?> DescriptionOption() => new("--description") { Description = "What it is for, one line" };

    private static Option<string?> ModelOption() => new("--model") { Description = "The model it asks for" };

    private static Command List(CliContext context, ServerOptions server)
    {
        var json = JsonOutput.CreateOption();
        var command = new Command("list", "List the agent files: name, id, model, description") { json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var files = await api.ListAgentFilesAsync(ct);
            if (parse.GetValue(json))
                await JsonOutput.WriteAsync(context.Output, files, AgentsJson.Default.ListAgentFile);
            else if (files.Count == 0)
                await context.Output.WriteLineAsync("No agent files yet; make one with: lazyaf agent-file create NAME --content-file FILE");
            else
            {
                var table = new TextTable("NAME", "ID", "MODEL", "UPDATED", "DESCRIPTION");
                foreach (var file in files)
                    table.Add(file.Name, file.Id, file.Model ?? "-", CardText.Time(file.UpdatedAt), file.Description);
                await table.WriteToAsync(context.Output);
            }
            return 0;
        });
        return command;
    }

    private static Command Show(CliContext context, ServerOptions server)
    {
        var file = FileArgument();
        var json = JsonOutput.CreateOption();
        var command = new Command("show", "Show an agent file: its fields, then its content") { file, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var found = await ResolveAsync(api, parse.GetValue(file)!, ct);
            if (parse.GetValue(json))
            {
                await JsonOutput.WriteAsync(context.Output, found, AgentsJson.Default.AgentFile);
                return 0;
            }
            await context.Output.WriteLineAsync($"{found.Name} (id {found.Id})");
            await context.Output.WriteLineAsync($"  model: {found.Model ?? "-"}");
            await context.Output.WriteLineAsync($"  description: {(found.Description.Length == 0 ? "-" : found.Description)}");
            await context.Output.WriteLineAsync($"  updated: {CardText.Time(found.UpdatedAt)}");
            await context.Output.WriteLineAsync();
            await context.Output.WriteLineAsync(found.Content.TrimEnd('\n'));
            return 0;
        });
        return command;
    }

    private static Command Make(CliContext context, ServerOptions server)
    {
        var name = new Argument<string>("name") { Description = "Its name, as a card's agent_files names it (letters, digits, '.', '_', '-')" };
        var content = ContentFileOption("The file holding its instructions (markdown); '-' or none: read from stdin");
        var description = DescriptionOption();
        var model = ModelOption();
        var command = new Command("create", "Create an agent file from a file or stdin; prints its id first") { name, content, description, model };
        command.SetAction(async (parse, ct) =>
        {
            var text = await ContentAsync(context, parse.GetValue(content) ?? Stdin, ct);
            using var api = new ApiClient(server.Connect(parse, context));
            var made = await api.CreateAgentFileAsync(new AgentFileRequest(parse.GetValue(name)!, parse.GetValue(description) ?? "", text, parse.GetValue(model)), ct);
            await context.Output.WriteLineAsync(made.Id);
            await context.Output.WriteLineAsync($"Created agent file {made.Name} ({text.Length} characters)");
            return 0;
        });
        return command;
    }

    private static Command Update(CliContext context, ServerOptions server)
    {
        var file = FileArgument();
        var rename = new Option<string?>("--name") { Description = "A new name" };
        var content = ContentFileOption("New instructions from this file ('-': from stdin); without it the content stays");
        var description = DescriptionOption();
        var model = ModelOption();
        var command = new Command("update", "Change an agent file: only what is given changes (--model \"\" clears the model)") { file, rename, content, description, model };
        command.SetAction(async (parse, ct) =>
        {
            var newContent = parse.GetValue(content) is { } from ? await ContentAsync(context, from, ct) : null;
            using var api = new ApiClient(server.Connect(parse, context));
            var found = await ResolveAsync(api, parse.GetValue(file)!, ct);
            var newModel = parse.GetResult(model) is null ? found.Model : parse.GetValue(model) is { Length: > 0 } given ? given : null;
            var request = new AgentFileRequest(parse.GetValue(rename) ?? found.Name, parse.GetValue(description) ?? found.Description, newContent ?? found.Content, newModel);
            var updated = await api.ReplaceAgentFileAsync(found.Id, request, ct) ?? throw NotFound(found.Id);
            await context.Output.WriteLineAsync($"Updated agent file {updated.Name} (id {updated.Id})");
            return 0;
        });
        return command;
    }

    private static Command Delete(CliContext context, ServerOptions server)
    {
        var file = FileArgument();
        var command = new Command("delete", "Delete an agent file (cards that name it no longer get it)") { file };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var found = await ResolveAsync(api, parse.GetValue(file)!, ct);
            if (!await api.DeleteAgentFileAsync(found.Id, ct))
                throw NotFound(found.Name);
            await context.Output.WriteLineAsync($"Deleted agent file {found.Name} (id {found.Id})");
            return 0;
        });
        return command;
    }

    /// <summary>The agent file <paramref name="given"/> names: by name first, else by id or a unique prefix of it.</summary>
    private static async Task<AgentFile> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        var files = await api.ListAgentFilesAsync(ct);
        if (files.Find(f => f.Name == given) is { } named)
            return named;
        var id = IdPrefix.Pick("agent file", given, files.Select(f => new Candidate(f.Id, f.Name)), c => IdPrefix.Matches(c.Id, given), () => NotFound(given));
        return files.First(f => f.Id == id);
    }

    private static async Task<string> ContentAsync(CliContext context, string from, CancellationToken ct)
    {
        string text;
        if (from == Stdin)
        {
            if (context.InputIsTerminal)
                throw new CliFailure("an agent file needs its instructions: pass --content-file FILE or pipe them to stdin");
            using var reader = new StreamReader(context.InputStream, leaveOpen: true);
            text = await reader.ReadToEndAsync(ct);
        }
        else
        {
            var path = context.FullPath(from);
            if (!File.Exists(path))
                throw new CliFailure($"{path} does not exist");
            text = await File.ReadAllTextAsync(path, ct);
        }
        return text.Trim().Length > 0 ? text : throw new CliFailure($"the instructions from {(from == Stdin ? "stdin" : from)} are empty");
    }

    private static CliFailure NotFound(string given) => new($"no agent file '{given}' (lazyaf agent-file list lists them)");
}
