using LazyAf.Cli;

return await CliApp.RunAsync(args, CliContext.FromProcess());
