using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using LazyAf.Runner;
using StepDefinition = LazyAf.Runner.StepDefinition;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>Turns a request (a card's step, a pipeline step, a playground run) into the runner's <see cref="StepSpec"/>.</summary>
internal static class StepSpecs
{
    /// <summary>
    /// The spec of <paramref name="request"/> for <paramref name="repo"/>, cloned from <paramref name="cloneUrl"/>, with the
    /// <paramref name="secrets"/> the step names and the host's <paramref name="passed"/> variables (the step's own env wins).
    /// A pipeline step also gets <c>LAZYAF_STEP</c> (its id) and <c>LAZYAF_RUN_ID</c>.
    /// </summary>
    public static StepSpec Build(ExecutionRequested request, RepoInfo repo, string cloneUrl, IReadOnlyDictionary<string, string> secrets,
        IReadOnlyDictionary<string, string> passed, CommitAuthor author) => new(
        request.ExecutionId,
        new RepoCheckout(cloneUrl, null, request.BaseBranch, request.BaseCommit, request.WorkBranch),
        RunnerStep(request.Step),
        Environment(request, passed),
        secrets,
        TimeSpan.FromSeconds(request.Step.TimeoutSeconds ?? request.TimeoutSeconds),
        new StepContext(request.Title, request.Description, [.. (request.PreviousSteps ?? []).Select(Previous)]),
        new CommitSettings($"feat: {request.Title}", author.Name, author.Email) { Scope = Scope(request.Step) })
    {
        SetupCommand = repo.SetupCommand,
        Files = repo.SecretsFile is { } path ? new Dictionary<string, string> { [path] = DotEnv(secrets) } : new Dictionary<string, string>(),
        RunId = request.RunId,
    };

    /// <summary>The runner's typed step for a requested one; blank texts are left unset, as the runner's defaults apply then.</summary>
    public static StepDefinition RunnerStep(Contracts.StepDefinition step) => step switch
    {
        ScriptStep script => new ScriptStepDefinition(script.Command) { WorkingDir = Set(step.WorkingDir) },
        DockerStep docker => new DockerStepDefinition(docker.Image, docker.Command)
        {
            WorkingDir = Set(step.WorkingDir), Memory = Set(docker.Memory), Cpus = docker.Cpus,
            Privileged = docker.Privileged, DockerSocket = docker.DockerSocket,
        },
        AgentStep agent => new AgentStepDefinition(agent.Agent)
        {
            WorkingDir = Set(step.WorkingDir),
            KeepPartialWork = agent.KeepPartialWork,
            Model = Set(agent.Model),
            PromptTemplate = Set(agent.PromptTemplate),
            SystemPrompt = Set(agent.SystemPrompt),
            Command = Set(agent.Command),
            MaxTurns = agent.MaxTurns,
            MaxCostUsd = agent.MaxCostUsd,
            ApprovalGate = agent.Approval,
            FollowUp = Set(agent.FollowUp),
            ResumeSession = Set(agent.ResumeSession),
        },
        _ => throw new InvalidOperationException($"{step.GetType().Name} is not a step this host runs."),
    };

    /// <summary>What of the step's changes the runner commits: its <c>commit</c>, else its type's default.</summary>
    public static CommitScope Scope(Contracts.StepDefinition step)
    {
        var commit = step.Commit ?? StepCommit.DefaultFor(step);
        return !commit.Enabled ? CommitScope.Nothing : commit.Paths.Count > 0 ? CommitScope.Only(commit.Paths) : CommitScope.Everything;
    }

    private static string? Set(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    // Which pipeline step and run this is (LAZYAF_STEP, LAZYAF_RUN_ID), then the host's variables, then the step's own:
    // later entries win. In the spec's env, so every runner, remote ones too, hands them on.
    private static Dictionary<string, string> Environment(ExecutionRequested request, IReadOnlyDictionary<string, string> passed)
    {
        List<KeyValuePair<string, string>> identity = [];
        if (request.StepId is { } step)
            identity.Add(new("LAZYAF_STEP", step));
        if (request.RunId is { } run)
            identity.Add(new("LAZYAF_RUN_ID", run));
        return identity.Concat(passed).Concat(request.Step.Env)
            .GroupBy(e => e.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
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
        step.Tests is { } t ? new TestSummary(t.Total, t.Passed, t.Failed, t.Skipped, [.. t.FailedTests.Select(name => new TestFailure(name, t.FailureMessages?.GetValueOrDefault(name) ?? "", "")
        {
            Output = t.FailureOutputs?.GetValueOrDefault(name) ?? "",
            History = History(t, name),
        })]) : null);

    /// <summary>What the test history said of a failed test when its step ended; unknown when none judged it.</summary>
    private static TestFailureHistory History(TestCounts tests, string name) =>
        tests.Flaky?.Contains(name) == true ? TestFailureHistory.Flaky
        : tests.FailingOnBase is not { } onBase ? TestFailureHistory.Unknown
        : onBase.Contains(name) ? TestFailureHistory.FailingOnBase
        : TestFailureHistory.New;

    /// <summary><c>NAME="value"</c> lines, quoted so values with spaces, quotes or newlines survive the common .env readers.</summary>
    private static string DotEnv(IReadOnlyDictionary<string, string> secrets) =>
        string.Concat(secrets.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s =>
            $"{s.Key}=\"{s.Value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)}\"\n"));
}

/// <summary>Who commits a step's changes.</summary>
/// <param name="Name">The author's name.</param>
/// <param name="Email">The author's email.</param>
internal sealed record CommitAuthor(string Name, string Email);
