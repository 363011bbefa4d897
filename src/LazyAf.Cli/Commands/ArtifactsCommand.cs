using System.CommandLine;
using System.Globalization;
using LazyAf.Cli.Api;
using LazyAf.Cli.Ids;
using LazyAf.Cli.Output;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf artifacts RUN</c> (what a pipeline run's steps, or one execution, kept) and
/// <c>lazyaf artifact get RUN NAME [--output FILE]</c> (one of them, downloaded).
/// </summary>
internal static class ArtifactsCommand
{
    public static Command List(CliContext context, ServerOptions server)
    {
        var runArgument = RunArgument();
        var json = JsonOutput.CreateOption();
        var command = new Command("artifacts", "List the artifacts a pipeline run's steps (or one execution) kept") { runArgument, json };
        command.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var artifacts = await ArtifactsOfAsync(api, parse.GetValue(runArgument)!, ct);
            if (parse.GetValue(json))
            {
                var rows = artifacts.Select(a => new RunArtifact(a.Step, a.Execution, a.Artifact.Name, a.Artifact.SizeBytes, a.Artifact.Sha256, a.Artifact.CreatedAt)).ToList();
                await JsonOutput.WriteAsync(context.Output, rows, ReportsJson.Default.ListRunArtifact);
                return 0;
            }
            if (artifacts.Count == 0)
            {
                await context.Output.WriteLineAsync("No artifacts; a step keeps some with `artifacts: [paths or globs]`");
                return 0;
            }
            var table = new TextTable("STEP", "NAME", "SIZE", "SHA256", "KEPT");
            foreach (var (step, _, artifact) in artifacts)
                table.Add(step, artifact.Name, artifact.SizeBytes.ToString("N0", CultureInfo.InvariantCulture), artifact.Sha256[..12], CardText.Time(artifact.CreatedAt));
            await table.WriteToAsync(context.Output);
            return 0;
        });
        return command;
    }

    public static Command Get(CliContext context, ServerOptions server)
    {
        var runArgument = RunArgument();
        var nameArgument = new Argument<string>("name") { Description = "The artifact's name (its path in the workspace; see: lazyaf artifacts RUN)" };
        var outputOption = new Option<string?>("--output", "-o") { Description = "Where to write it (default: its file name, in the current directory)" };
        var get = new Command("get", "Download an artifact of a pipeline run (or of one execution)") { runArgument, nameArgument, outputOption };
        get.SetAction(async (parse, ct) =>
        {
            using var api = new ApiClient(server.Connect(parse, context));
            var run = parse.GetValue(runArgument)!;
            var name = parse.GetValue(nameArgument)!;
            var matches = (await ArtifactsOfAsync(api, run, ct)).Where(a => a.Artifact.Name == name).ToList();
            if (matches.Count == 0)
                throw new CliFailure($"{run} has no artifact '{name}' (lazyaf artifacts {run} lists them)");
            if (matches.Select(m => m.Execution).Distinct(StringComparer.Ordinal).Count() > 1)
                throw new CliFailure($"steps {string.Join(", ", matches.Select(m => m.Step))} of {run} all kept '{name}'; name the step's execution instead of the run");
            var target = context.FullPath(parse.GetValue(outputOption) ?? Path.GetFileName(name));
            await using (var file = File.Create(target))
            {
                if (!await api.DownloadArtifactAsync(matches[0].Execution, name, file, ct))
                    throw new CliFailure($"artifact '{name}' of {run} is gone (deleted by retention?)");
            }
            await context.Output.WriteLineAsync($"wrote {target} ({new FileInfo(target).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes)");
            return 0;
        });
        return new Command("artifact", "Download a step's artifacts") { get };
    }

    private static Argument<string> RunArgument() => new("run") { Description = "A pipeline run's id (see: lazyaf runs REPO), or one execution's" };

    /// <summary>The artifacts of every step of the run <paramref name="given"/>, or of the execution <paramref name="given"/>.</summary>
    private static async Task<List<(string Step, string Execution, Artifact Artifact)>> ArtifactsOfAsync(ApiClient api, string given, CancellationToken ct)
    {
        var id = await ResolveAsync(api, given, ct);
        var steps = await api.FindPipelineRunAsync(id, ct) is { } run
            ? run.Steps.Where(s => s.ExecutionId is not null).Select(s => (s.Id, s.ExecutionId!)).ToList()
            : [("-", id)];
        var all = new List<(string, string, Artifact)>();
        foreach (var (step, execution) in steps)
        {
            var artifacts = await api.ListArtifactsAsync(execution, ct) ?? throw NotFound(given);
            all.AddRange(artifacts.Select(a => (step, execution, a)));
        }
        return all;
    }

    /// <summary>The whole id <paramref name="given"/> names: a pipeline run's when a run's id begins (or ends) so, else an execution's.</summary>
    private static async Task<string> ResolveAsync(ApiClient api, string given, CancellationToken ct)
    {
        if (IdPrefix.IsFull(given))
            return given;
        var runs = (await api.ListPipelineRunsAsync(null, null, null, ct)).Where(r => IdPrefix.Matches(r.Id, given)).ToList();
        if (runs.Count == 0)
            return await ExecutionArgument.ResolveAsync(api, given, ct);
        return IdPrefix.Pick("pipeline run", given, runs.Select(r => new Candidate(r.Id, $"{r.Pipeline} on {r.Branch}, {r.State}")), _ => true, () => NotFound(given));
    }

    private static CliFailure NotFound(string given) => new($"no pipeline run or execution '{given}'");
}
