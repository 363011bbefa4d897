using System.CommandLine;

namespace LazyAf.Cli.Commands;

/// <summary><c>lazyaf pipeline …</c>: run a pipeline, list and show its runs, validate a pipeline file.</summary>
internal static class PipelineCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("pipeline", "Run pipelines, list and show their runs, validate pipeline files")
    {
        PipelineRunCommand.Create(context, server),
        PipelineRunsCommand.Create(context, server),
        PipelineShowCommand.Create(context, server),
        PipelineValidateCommand.Create(context, server),
    };
}

/// <summary><c>lazyaf run …</c>: a pipeline run's step output, and cancelling the run.</summary>
internal static class RunCommand
{
    public static Command Create(CliContext context, ServerOptions server) => new("run", "Follow or cancel a pipeline run")
    {
        RunLogsCommand.Create(context, server),
        RunCancelCommand.Create(context, server),
    };
}
