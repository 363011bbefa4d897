namespace LazyAf.Runner;

/// <summary>A step's place, made ready by <see cref="StepRunner.PrepareAsync"/> but not run.</summary>
/// <param name="WorkingDirectory">Where the step would start (the workspace, or its <c>working_dir</c> in it).</param>
/// <param name="Environment">The environment the step would get.</param>
public sealed record PreparedStep(string WorkingDirectory, IReadOnlyDictionary<string, string> Environment);
