using System.Text.Json.Serialization;

namespace LazyAf.Modules.Execution.Contracts;

/// <summary>
/// A step as a card or a pipeline defines it and <see cref="ExecutionRequested"/> carries it: a <see cref="ScriptStep"/>,
/// <see cref="DockerStep"/> or <see cref="AgentStep"/>, with the fields every step has. In JSON a <c>type</c> says which;
/// the other properties are the keys of a card's <c>step_config</c>, which <see cref="StepSchema"/> checks and reads.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ScriptStep), StepSchema.Script)]
[JsonDerivedType(typeof(DockerStep), StepSchema.Docker)]
[JsonDerivedType(typeof(AgentStep), StepSchema.Agent)]
public abstract record StepDefinition
{
    /// <summary><c>script</c>, <c>docker</c> or <c>agent</c>.</summary>
    [JsonIgnore]
    public string Type => this switch
    {
        ScriptStep => StepSchema.Script,
        DockerStep => StepSchema.Docker,
        AgentStep => StepSchema.Agent,
        _ => throw new InvalidOperationException($"{GetType().Name} is not a step type."),
    };

    /// <summary>Environment variables for the step (<c>env</c>).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The secrets the step gets as environment variables (<c>secrets</c>), by name: the repo's, else the global one.
    /// A step that names none gets none.
    /// </summary>
    public IReadOnlyList<string> Secrets { get; init; } = [];

    /// <summary>Where in the workspace it runs, relative to the root (<c>working_dir</c>).</summary>
    public string? WorkingDir { get; init; }

    /// <summary>When to kill it (<c>timeout_seconds</c>); the requester's default when null.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>
    /// How many times the step starts again, on another runner, when the remote runner running it is lost mid-step
    /// (killed, cut off past <c>Runners:DeadAfter</c>, not back within <c>Runners:RestartGrace</c>) (<c>runner_retries</c>).
    /// Null or 0: it fails "runner lost". Only for steps that can safely run twice: the new attempt starts from a fresh
    /// checkout, and what the lost one pushed, if anything, is on its work branch.
    /// </summary>
    public int? RunnerRetries { get; init; }

    /// <summary>
    /// Files the step leaves that are kept as its artifacts (<c>artifacts</c>): paths or globs (<c>out/*.bin</c>, <c>dist/**</c>)
    /// relative to the workspace, collected after the step, downloadable from <c>/api/executions/{id}/artifacts</c>.
    /// </summary>
    public IReadOnlyList<string> Artifacts { get; init; } = [];

    /// <summary>
    /// What of its changes the step commits to the branch (<c>commit</c>): everything, only some paths or globs, or nothing.
    /// Null when not set: <see cref="StepCommit.DefaultFor"/> (an agent's work is committed, a script's or container's is not).
    /// </summary>
    public StepCommit? Commit { get; init; }

    /// <summary>Runner labels the step needs (a card's or a pipeline step's <c>requires</c>); only an executor with all of them runs it.</summary>
    public IReadOnlyList<string> Requires { get; init; } = [];
}

/// <summary>A shell command, run with <c>bash -e -c</c>.</summary>
/// <param name="Command">The command.</param>
public sealed record ScriptStep(string Command) : StepDefinition;

/// <summary>A shell command run with <c>sh -c</c> in a container of <paramref name="Image"/>, the checkout mounted.</summary>
/// <param name="Image">The image; the engine must have it (images are never pulled).</param>
/// <param name="Command">The command.</param>
public sealed record DockerStep(string Image, string Command) : StepDefinition
{
    /// <summary>The container's memory limit as Docker's <c>--memory</c> takes it (<c>512m</c>, <c>2g</c>).</summary>
    public string? Memory { get; init; }

    /// <summary>The container's CPU limit as Docker's <c>--cpus</c> takes it (<c>1.5</c>).</summary>
    public double? Cpus { get; init; }

    /// <summary>Run the container privileged (<c>privileged</c>); only in a repo of <c>Execution:Docker:PrivilegedRepos</c>.</summary>
    public bool Privileged { get; init; }

    /// <summary>Give the container the engine's socket (<c>docker_socket</c>); only in a repo of <c>Execution:Docker:PrivilegedRepos</c>.</summary>
    public bool DockerSocket { get; init; }
}

/// <summary>An agent CLI run in the checkout with a prompt made from the card or step and its context.</summary>
/// <param name="Agent"><c>claude-code</c>, <c>gemini</c>, <c>codex</c> or <c>command</c>.</param>
public sealed record AgentStep(string Agent) : StepDefinition
{
    /// <summary>The model to ask for; the CLI's default when null.</summary>
    public string? Model { get; init; }

    /// <summary>The prompt with <c>{{title}}</c>-style placeholders; a default prompt from the card and its context when null.</summary>
    public string? PromptTemplate { get; init; }

    /// <summary>Names of agent files (the platform's or the repo's <c>.lazyaf/agents/*.yml</c>) whose instructions the agent gets.</summary>
    public IReadOnlyList<string> AgentFiles { get; init; } = [];

    /// <summary>For the <c>command</c> agent: the program line, run with <c>bash -e -c</c>.</summary>
    public string? Command { get; init; }

    /// <summary>Stop after this many model turns.</summary>
    public int? MaxTurns { get; init; }

    /// <summary>Stop the agent when its cost crosses this many US dollars.</summary>
    public decimal? MaxCostUsd { get; init; }

    /// <summary>Ask a person before each tool use.</summary>
    public bool Approval { get; init; }

    /// <summary>Commit and push what the agent left when it is stopped (cancelled, timed out, over budget).</summary>
    public bool KeepPartialWork { get; init; }

    /// <summary>The instructions of <see cref="AgentFiles"/>, resolved by the requester; never a configuration key.</summary>
    public string? SystemPrompt { get; init; }

    /// <summary>A follow-up message that continues <see cref="ResumeSession"/> instead of the prompt; set by the requester.</summary>
    public string? FollowUp { get; init; }

    /// <summary>The agent session a follow-up continues; set by the requester.</summary>
    public string? ResumeSession { get; init; }
}
