namespace LazyAf.Runner;

/// <summary>Everything a runner needs to run one step execution, and nothing it must look up elsewhere.</summary>
/// <param name="ExecutionId">The step execution this run belongs to; every log chunk carries it.</param>
/// <param name="Repo">Where the code comes from and which branch the work goes to.</param>
/// <param name="Step">What to run.</param>
/// <param name="Env">Environment variables for the step (also for set-up).</param>
/// <param name="Secrets">Name → value; passed to the step as environment variables and masked in every log chunk.</param>
/// <param name="Timeout">After this the step is killed and the run ends <see cref="StepOutcome.TimedOut"/>.</param>
/// <param name="Context">What the step is for, written to <c>.lazyaf-context/</c>.</param>
/// <param name="Commit">How to commit what the step changed.</param>
public sealed record StepSpec(
    string ExecutionId,
    RepoCheckout Repo,
    StepDefinition Step,
    IReadOnlyDictionary<string, string> Env,
    IReadOnlyDictionary<string, string> Secrets,
    TimeSpan Timeout,
    StepContext Context,
    CommitSettings Commit)
{
    /// <summary>The repo's configured set-up command; when set it runs instead of <c>.lazyaf/setup.sh</c>.</summary>
    public string? SetupCommand { get; init; }

    /// <summary>Files to put into the fresh workspace before set-up (path relative to the root → content), e.g. <c>.env</c>; never committed.</summary>
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();

    /// <summary>The pipeline run the step belongs to, if any: a run's docker steps share one network.</summary>
    public string? RunId { get; init; }

    /// <summary>
    /// The workspace holds what another step of the repo left (a reused, warm workspace), not an earlier checkout of
    /// this work: the runner makes it as clean as a new clone. Not on the wire: an agent sets it for its own warm ones.
    /// </summary>
    public bool ReusedWorkspace { get; init; }
}

/// <summary>The code to check out and the branch to work on.</summary>
/// <param name="CloneUrl">LazyAF's git URL of the repo.</param>
/// <param name="Token">A short-lived credential for <paramref name="CloneUrl"/>, if the server wants one.</param>
/// <param name="BaseBranch">The branch the work starts from (and a new work branch is created from).</param>
/// <param name="BaseCommit">A commit to start from instead of the tip of <paramref name="BaseBranch"/>.</param>
/// <param name="WorkBranch">The branch the result is pushed to, e.g. <c>lazyaf/card-1a2b3c4d</c>; if it exists, the work continues it.</param>
public sealed record RepoCheckout(string CloneUrl, string? Token, string BaseBranch, string? BaseCommit, string WorkBranch);

/// <summary>
/// The step itself, as plain typed data: a <see cref="ScriptStepDefinition"/>, <see cref="DockerStepDefinition"/> or
/// <see cref="AgentStepDefinition"/>. A runner has one <see cref="IStepKind"/> per <see cref="Type"/> it can run.
/// </summary>
public abstract record StepDefinition
{
    /// <summary><c>script</c>, <c>docker</c> or <c>agent</c>.</summary>
    public abstract string Type { get; }

    /// <summary>Where the step runs, relative to the workspace root; the root when null.</summary>
    public string? WorkingDir { get; init; }

    /// <summary>Commit and push what a stopped step (cancelled, timed out) left, instead of dropping it.</summary>
    public bool KeepPartialWork { get; init; }
}

/// <summary>A shell command run with <c>bash -e -c</c> in a session of its own.</summary>
/// <param name="Command">The command.</param>
public sealed record ScriptStepDefinition(string Command) : StepDefinition
{
    /// <inheritdoc />
    public override string Type => "script";
}

/// <summary>A shell command run with <c>sh -c</c> in a container.</summary>
/// <param name="Image">The container image.</param>
/// <param name="Command">The command.</param>
public sealed record DockerStepDefinition(string Image, string Command) : StepDefinition
{
    /// <inheritdoc />
    public override string Type => "docker";

    /// <summary>The memory limit as Docker's <c>--memory</c> takes it (<c>512m</c>, <c>2g</c>), at most the runner's cap; the cap when null.</summary>
    public string? Memory { get; init; }

    /// <summary>The CPU limit as Docker's <c>--cpus</c> takes it (<c>1.5</c>), at most the runner's cap; the cap when null.</summary>
    public double? Cpus { get; init; }

    /// <summary>Run the container privileged (all capabilities, the host's devices); the host has checked the repo may.</summary>
    public bool Privileged { get; init; }

    /// <summary>Mount the engine's socket at <c>/var/run/docker.sock</c>; the host has checked the repo may.</summary>
    public bool DockerSocket { get; init; }
}

/// <summary>An agent CLI run in the workspace.</summary>
/// <param name="Agent">Which CLI: <c>claude-code</c>, <c>gemini</c>, <c>codex</c> or <c>command</c>.</param>
public sealed record AgentStepDefinition(string Agent) : StepDefinition
{
    /// <inheritdoc />
    public override string Type => "agent";

    /// <summary>The model; the CLI's default when null.</summary>
    public string? Model { get; init; }

    /// <summary>The prompt template (see <see cref="Agents.AgentPrompt"/>); the default prompt when null.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Instructions appended to the CLI's own system prompt (from agent files).</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>For the <c>command</c> agent: the program line.</summary>
    public string? Command { get; init; }

    /// <summary>Stop after this many model turns.</summary>
    public int? MaxTurns { get; init; }

    /// <summary>Stop when the run's cost crosses this many US dollars.</summary>
    public decimal? MaxCostUsd { get; init; }

    /// <summary>Ask before each tool use instead of allowing all.</summary>
    public bool ApprovalGate { get; init; }

    /// <summary>A follow-up message, sent instead of the prompt to continue <see cref="ResumeSession"/>.</summary>
    public string? FollowUp { get; init; }

    /// <summary>The session to continue.</summary>
    public string? ResumeSession { get; init; }
}

/// <summary>What the step is for.</summary>
/// <param name="Title">The card's (or pipeline step's) title.</param>
/// <param name="Description">Its description.</param>
/// <param name="PreviousSteps">Earlier steps of the same card or run, newest last.</param>
public sealed record StepContext(string Title, string Description, IReadOnlyList<PreviousStep> PreviousSteps);

/// <summary>An earlier step, for the context of the next.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Outcome">How it ended.</param>
/// <param name="LogTail">The end of its log.</param>
/// <param name="Tests">Its test results, if any.</param>
public sealed record PreviousStep(string Name, StepOutcome Outcome, string LogTail, TestSummary? Tests);

/// <summary>Who commits the step's changes, with what message, and which of them.</summary>
public sealed record CommitSettings(string Message, string AuthorName, string AuthorEmail)
{
    /// <summary>Which of the step's changes are committed; all of them when not set, which is what a server that does not say means.</summary>
    public CommitScope Scope { get; init; } = CommitScope.Everything;
}

/// <summary>
/// Which of a step's changes the runner commits: all of them, those under some paths or globs, or none. Changes left out
/// stay in the workspace (for artifacts and debugging) and never reach the branch; the next checkout there drops them.
/// </summary>
public sealed record CommitScope
{
    private CommitScope(bool enabled, IReadOnlyList<string> paths)
    {
        Enabled = enabled;
        Paths = paths;
    }

    /// <summary>Everything the step changed (a step's <c>commit: true</c>).</summary>
    public static CommitScope Everything { get; } = new(true, []);

    /// <summary>Nothing (a script or docker step without <c>commit</c>, or <c>commit: false</c>).</summary>
    public static CommitScope Nothing { get; } = new(false, []);

    /// <summary>
    /// Only changes to <paramref name="paths"/>: paths or globs relative to the repo root (<c>report.txt</c>, <c>docs/</c>,
    /// <c>out/*.json</c>, <c>**/*.md</c>); a directory stands for everything under it. No paths commit nothing.
    /// </summary>
    public static CommitScope Only(IReadOnlyList<string> paths)
    {
        ArgumentNullException.ThrowIfNull(paths);
        return paths.Count == 0 ? Nothing : new(true, [.. paths]);
    }

    /// <summary>False when nothing is committed.</summary>
    public bool Enabled { get; }

    /// <summary>The paths or globs changes must match; empty when <see cref="Enabled"/> means everything.</summary>
    public IReadOnlyList<string> Paths { get; }
}
