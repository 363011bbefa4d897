using System.Text.Json;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner;
using Microsoft.Extensions.Configuration;

namespace LazyAf.Modules.Execution.Running;

/// <summary>Turns a request (a card's step, …) into the runner's <see cref="StepSpec"/>.</summary>
internal sealed class StepSpecs(IConfiguration configuration)
{
    public StepSpec Build(ExecutionRequested request, RepoInfo repo, string cloneUrl, IReadOnlyDictionary<string, string> secrets)
    {
        using var config = JsonDocument.Parse(request.StepConfig);
        var root = config.RootElement;
        string? Text(string key) => root.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

        var env = root.TryGetProperty("env", out var envObject) && envObject.ValueKind == JsonValueKind.Object
            ? envObject.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "")
            : [];
        var settings = root.EnumerateObject()
            .Where(p => p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                && p.Name is not ("command" or "image" or "working_dir"))
            .ToDictionary(p => p.Name, p => p.Value.ValueKind switch
            {
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => p.Value.ToString(),
            });
        var timeout = root.TryGetProperty("timeout_seconds", out var seconds) && seconds.TryGetDouble(out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : TimeSpan.FromSeconds(request.TimeoutSeconds);

        return new StepSpec(
            request.ExecutionId,
            new RepoCheckout(cloneUrl, null, request.BaseBranch, request.BaseCommit, request.WorkBranch),
            new StepDefinition(request.StepType, Text("command"), Text("image"), Text("working_dir"), settings),
            env,
            secrets,
            timeout,
            new StepContext(request.Title, request.Description, [.. (request.PreviousSteps ?? []).Select(Previous)]),
            new CommitSettings(
                $"feat: {request.Title}",
                configuration["Execution:CommitAuthorName"] ?? "LazyAF",
                configuration["Execution:CommitAuthorEmail"] ?? "lazyaf@localhost"))
        {
            SetupCommand = repo.SetupCommand,
            Files = repo.SecretsFile is { } path ? new Dictionary<string, string> { [path] = DotEnv(secrets) } : new Dictionary<string, string>(),
        };
    }

    private static PreviousStep Previous(PreviousStepOutcome step) => new(
        step.Name,
        step.State switch
        {
            ExecutionState.Succeeded => StepOutcome.Succeeded,
            ExecutionState.Cancelled => StepOutcome.Cancelled,
            ExecutionState.TimedOut => StepOutcome.TimedOut,
            _ => StepOutcome.Failed,
        },
        step.LogTail,
        step.Tests is { } t ? new TestSummary(t.Total, t.Passed, t.Failed, t.Skipped, [.. t.FailedTests.Select(name => new TestFailure(name, t.FailureMessages?.GetValueOrDefault(name) ?? "", ""))]) : null);

    /// <summary><c>NAME="value"</c> lines, quoted so values with spaces, quotes or newlines survive the common .env readers.</summary>
    private static string DotEnv(IReadOnlyDictionary<string, string> secrets) =>
        string.Concat(secrets.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            $"{s.Key}=\"{s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"\n"));
}
