using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Wire = LazyAf.Protocol.V1;

namespace LazyAf.Runner.Remote;

/// <summary>
/// A step spec between the step runner's types and the wire: the host sends <see cref="ToWire(StepSpec)"/>, a runner
/// runs <see cref="ToRunner(Wire.Assign)"/>. What a runner gets is exactly what the host's own executor would run.
/// </summary>
public static class WireSteps
{
    /// <summary>The spec as it goes out in an assignment; the step token travels beside it, never inside.</summary>
    public static Wire.StepSpec ToWire(StepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var wire = new Wire.StepSpec
        {
            Repo = new Wire.RepoCheckout
            {
                CloneUrl = spec.Repo.CloneUrl,
                BaseBranch = spec.Repo.BaseBranch,
                BaseCommit = spec.Repo.BaseCommit ?? "",
                WorkBranch = spec.Repo.WorkBranch,
            },
            Step = ToWire(spec.Step),
            Timeout = Duration.FromTimeSpan(spec.Timeout),
            Context = new Wire.StepContext { Title = spec.Context.Title, Description = spec.Context.Description },
            Commit = new Wire.CommitSettings
            {
                Message = spec.Commit.Message, AuthorName = spec.Commit.AuthorName, AuthorEmail = spec.Commit.AuthorEmail,
                Discard = !spec.Commit.Scope.Enabled, Paths = { spec.Commit.Scope.Paths },
            },
            SetupCommand = spec.SetupCommand ?? "",
            RunId = spec.RunId ?? "",
        };
        foreach (var (name, value) in spec.Env)
            wire.Env[name] = value;
        foreach (var (name, value) in spec.Secrets)
            wire.Secrets[name] = value;
        foreach (var (path, content) in spec.Files)
            wire.Files[path] = content;
        wire.Context.PreviousSteps.AddRange(spec.Context.PreviousSteps.Select(p => new Wire.PreviousStep
        {
            Name = p.Name,
            Outcome = WireResults.ToWire(p.Outcome),
            LogTail = p.LogTail,
            Tests = p.Tests is { } tests ? WireResults.ToWire(tests) : null,
        }));
        return wire;
    }

    /// <summary>The spec a runner runs for an assignment, with the assignment's step token for git.</summary>
    public static StepSpec ToRunner(Wire.Assign assign)
    {
        ArgumentNullException.ThrowIfNull(assign);
        var spec = assign.Spec ?? throw new ArgumentException("The assignment carries no step spec.", nameof(assign));
        var repo = spec.Repo ?? throw new ArgumentException("The step spec names no repo.", nameof(assign));
        return new StepSpec(
            assign.ExecutionId,
            new RepoCheckout(repo.CloneUrl, Set(assign.StepToken), repo.BaseBranch, Set(repo.BaseCommit), repo.WorkBranch),
            ToRunner(spec.Step ?? throw new ArgumentException("The step spec has no step.", nameof(assign))),
            new Dictionary<string, string>(spec.Env),
            new Dictionary<string, string>(spec.Secrets),
            spec.Timeout?.ToTimeSpan() ?? TimeSpan.Zero,
            new StepContext(spec.Context?.Title ?? "", spec.Context?.Description ?? "",
                [.. (spec.Context?.PreviousSteps ?? []).Select(p => new PreviousStep(p.Name, WireResults.ToRunner(p.Outcome), p.LogTail, p.Tests is { } t ? WireResults.ToRunner(t) : null))]),
            new CommitSettings(spec.Commit?.Message ?? "", spec.Commit?.AuthorName ?? "", spec.Commit?.AuthorEmail ?? "") { Scope = ScopeOf(spec.Commit) })
        {
            SetupCommand = Set(spec.SetupCommand),
            Files = new Dictionary<string, string>(spec.Files),
            RunId = Set(spec.RunId),
        };
    }

    private static CommitScope ScopeOf(Wire.CommitSettings? commit) =>
        commit is null ? CommitScope.Everything
        : commit.Discard ? CommitScope.Nothing
        : commit.Paths.Count > 0 ? CommitScope.Only([.. commit.Paths])
        : CommitScope.Everything;

    private static Wire.StepDefinition ToWire(StepDefinition step)
    {
        var wire = new Wire.StepDefinition { WorkingDir = step.WorkingDir ?? "", KeepPartialWork = step.KeepPartialWork };
        switch (step)
        {
            case ScriptStepDefinition script:
                wire.Script = new Wire.ScriptStep { Command = script.Command };
                break;
            case DockerStepDefinition docker:
                wire.Docker = new Wire.DockerStep
                {
                    Image = docker.Image, Command = docker.Command, Memory = docker.Memory ?? "", Privileged = docker.Privileged, DockerSocket = docker.DockerSocket,
                };
                if (docker.Cpus is { } cpus)
                    wire.Docker.Cpus = cpus;
                break;
            case AgentStepDefinition agent:
                wire.Agent = new Wire.AgentStep
                {
                    Agent = agent.Agent,
                    Model = agent.Model ?? "",
                    PromptTemplate = agent.PromptTemplate ?? "",
                    SystemPrompt = agent.SystemPrompt ?? "",
                    Command = agent.Command ?? "",
                    MaxCostUsd = agent.MaxCostUsd?.ToString(CultureInfo.InvariantCulture) ?? "",
                    ApprovalGate = agent.ApprovalGate,
                    FollowUp = agent.FollowUp ?? "",
                    ResumeSession = agent.ResumeSession ?? "",
                };
                if (agent.MaxTurns is { } turns)
                    wire.Agent.MaxTurns = turns;
                break;
            default:
                throw new ArgumentException($"{step.GetType().Name} has no wire form.", nameof(step));
        }
        return wire;
    }

    private static StepDefinition ToRunner(Wire.StepDefinition step)
    {
        StepDefinition definition = step.KindCase switch
        {
            Wire.StepDefinition.KindOneofCase.Script => new ScriptStepDefinition(step.Script.Command),
            Wire.StepDefinition.KindOneofCase.Docker => new DockerStepDefinition(step.Docker.Image, step.Docker.Command)
            {
                Memory = Set(step.Docker.Memory),
                Cpus = step.Docker.HasCpus ? step.Docker.Cpus : null,
                Privileged = step.Docker.Privileged,
                DockerSocket = step.Docker.DockerSocket,
            },
            Wire.StepDefinition.KindOneofCase.Agent => new AgentStepDefinition(step.Agent.Agent)
            {
                Model = Set(step.Agent.Model),
                PromptTemplate = Set(step.Agent.PromptTemplate),
                SystemPrompt = Set(step.Agent.SystemPrompt),
                Command = Set(step.Agent.Command),
                MaxTurns = step.Agent.HasMaxTurns ? step.Agent.MaxTurns : null,
                MaxCostUsd = decimal.TryParse(step.Agent.MaxCostUsd, NumberStyles.Number, CultureInfo.InvariantCulture, out var cost) ? cost : null,
                ApprovalGate = step.Agent.ApprovalGate,
                FollowUp = Set(step.Agent.FollowUp),
                ResumeSession = Set(step.Agent.ResumeSession),
            },
            _ => throw new ArgumentException("The step has no kind this protocol version knows.", nameof(step)),
        };
        return definition with { WorkingDir = Set(step.WorkingDir), KeepPartialWork = step.KeepPartialWork };
    }

    /// <summary>The step type a wire step is (<c>script</c>, <c>docker</c>, <c>agent</c>), or null for none this version knows.</summary>
    public static string? TypeOf(Wire.StepDefinition? step) => step?.KindCase switch
    {
        Wire.StepDefinition.KindOneofCase.Script => "script",
        Wire.StepDefinition.KindOneofCase.Docker => "docker",
        Wire.StepDefinition.KindOneofCase.Agent => "agent",
        _ => null,
    };

    private static string? Set(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
