namespace LazyAf.Cli.Api;

/// <summary>A pipeline run as <c>/api/pipeline-runs/{id}</c> shows it; only the fields the CLI uses.</summary>
internal sealed record PipelineRun(
    string Id, string Pipeline, string Branch, string WorkBranch, string? CommitSha, string? HeadSha, string State, string TriggerKind, string? Error,
    DateTimeOffset CreatedAt, RunTestCounts? Tests, List<PipelineRunStep> Steps)
{
    public bool IsFinished => State is "passed" or "failed" or "cancelled";
}

/// <summary>A step of a run: its latest attempt's state and timing.</summary>
internal sealed record PipelineRunStep(
    string Id, string Name, string State, int Attempt, string? ExecutionId, string? Error, RunTestCounts? Tests, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <summary>Test counts of a step or a run.</summary>
internal sealed record RunTestCounts(int Total, int Passed, int Failed, int Skipped)
{
    public override string ToString() => $"{Passed}/{Total} passed" + (Failed > 0 ? $", {Failed} failed" : "") + (Skipped > 0 ? $", {Skipped} skipped" : "");
}

/// <summary>The body of <c>POST /api/repos/{id}/pipelines/{name}/run</c>.</summary>
internal sealed record RunPipelineRequest(string? Branch, string? Commit, Dictionary<string, string> Params);

/// <summary>The body of <c>POST /api/pipelines/validate</c>.</summary>
internal sealed record ValidatePipelineRequest(string Yaml);

/// <summary>What validate answers: the pipeline (200) or, in a 400, its errors.</summary>
internal sealed record PipelineValidation(string? Name, List<ValidatedStep>? Steps, List<PipelineError>? Errors, string? Detail);

/// <summary>A step of a valid pipeline.</summary>
internal sealed record ValidatedStep(string Id);

/// <summary>One error of an invalid pipeline.</summary>
internal sealed record PipelineError(int Line, int Column, string Message);
