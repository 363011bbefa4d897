using System.CommandLine;
using LazyAf.Cli.Api;

namespace LazyAf.Cli.Commands;

/// <summary>
/// <c>lazyaf pipeline validate FILE</c>: asks LazyAF to check a pipeline file. Valid: one line on stdout. Invalid: one line per
/// error on stderr, <c>FILE:LINE:COL: message</c> as compilers print them (editors jump to it), and exit code 1.
/// </summary>
internal static class PipelineValidateCommand
{
    public static Command Create(CliContext context, ServerOptions server)
    {
        var file = new Argument<string>("file") { Description = "The pipeline file, e.g. .lazyaf/pipelines/ci.yml" };
        var command = new Command("validate", "Check a pipeline file; prints FILE:LINE:COL: message per error and exits 1 when invalid") { file };
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!;
            var full = context.FullPath(path);
            if (!File.Exists(full))
                throw new CliFailure($"no file '{path}'");
            using var api = new ApiClient(server.Connect(parse, context));
            var result = await api.ValidatePipelineAsync(await File.ReadAllTextAsync(full, ct), ct);
            if (result.Errors is not { Count: > 0 } errors)
            {
                await context.Output.WriteLineAsync($"{path}: valid pipeline {result.Name} ({result.Steps?.Count ?? 0} steps)");
                return 0;
            }
            foreach (var error in errors)
                await context.Error.WriteLineAsync($"{path}:{error.Line}:{error.Column}: {error.Message}");
            return 1;
        });
        return command;
    }
}
