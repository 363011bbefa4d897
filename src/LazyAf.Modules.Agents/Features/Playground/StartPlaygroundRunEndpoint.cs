using LazyAf.Kernel;
using LazyAf.Kernel.Db;
using LazyAf.Kernel.Http;
using LazyAf.Modules.Agents.Contracts;
using LazyAf.Modules.Agents.Data;
using LazyAf.Modules.Agents.Domain;
using LazyAf.Modules.Agents.Features.AgentClis;
using LazyAf.Modules.Execution.Contracts;
using LazyAf.Modules.Repos.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Agents.Features.Playground;

/// <summary>
/// Runs an agent once on a throw-away branch, <c>lazyaf/playground-{short id}</c>, from the given branch's tip as
/// it is now. The run is stored in the transaction its execution is requested in; the execution exists before the
/// client hears of the run, as a card's does.
/// </summary>
internal static class StartPlaygroundRunEndpoint
{
    public static void MapStartPlaygroundRun(this IEndpointRouteBuilder api) =>
        api.MapPost("/repos/{id}/playground/runs", HandleAsync)
            .WithName("StartPlaygroundRun")
            .WithSummary("Run an agent once on a throw-away branch from a branch's tip; 202 with the run");

    private static async Task<Results<Accepted<PlaygroundRunResponse>, ValidationProblem, NotFoundProblem>> HandleAsync(
        string id, StartPlaygroundRunRequest request, IRepoCatalog repos, AgentCliCatalog agents, IAgentInstructions instructions, IDatabase database,
        IStepExecutions executions, IOptions<PlaygroundOptions> options, TimeProvider clock, ILoggerFactory loggers, CancellationToken ct)
    {
        if (await repos.FindAsync(id, ct) is not { } repo)
            return Problems.NotFound("repo", id);
        if (request.Check(agents.Kinds) is { Count: > 0 } errors)
            return Problems.Invalid(errors);
        var branch = request.Branch ?? repo.DefaultBranch;
        if (await repos.BranchTipAsync(repo.Id, branch, ct) is not { } baseSha)
            return Problems.NotFound("branch", branch);
        var agentFiles = await instructions.ResolveAsync(repo.Id, branch, request.AgentFiles ?? [], ct);
        if (agentFiles.Missing.Count > 0)
            return Problems.Invalid("agent_files", $"No agent file of these names is on {branch} or the platform: {string.Join(", ", agentFiles.Missing)}.");

        var runId = Ids.New();
        var run = new PlaygroundRun
        {
            Id = runId, RepoId = repo.Id, Agent = request.Agent!, Model = request.Model, BaseBranch = branch, BaseSha = baseSha, Task = request.Task!,
            ExecutionId = Ids.New(), WorkBranch = $"lazyaf/playground-{Ids.ShortForm(runId)}", CreatedAt = clock.GetUtcNow(),
        };
        var step = new AgentStep(run.Agent) { Model = run.Model, PromptTemplate = run.Task, SystemPrompt = agentFiles.Text };
        var execution = new ExecutionRequested(
            run.ExecutionId, $"playground:{run.Id}", "playground", run.Id, repo.Id, branch, run.WorkBranch, step,
            Title(run.Task), run.Task, request.TimeoutSeconds ?? options.Value.TimeoutSeconds, BaseCommit: baseSha);
        await using (var tx = await database.BeginWriteAsync(ct))
        {
            await PlaygroundStore.InsertAsync(tx, run, ct);
            await executions.RequestAsync(tx, execution, ct);
            await tx.CommitAsync(ct);
        }
        loggers.CreateLogger(typeof(StartPlaygroundRunEndpoint)).LogInformation(
            "Playground run {RunId} of repo {RepoId}: {Agent} from {BaseBranch} at {BaseSha}", run.Id, repo.Id, run.Agent, branch, baseSha);
        return TypedResults.Accepted($"/api/playground/runs/{run.Id}", PlaygroundRunResponse.From(new PlaygroundRunState(run, null)));
    }

    /// <summary>The task's first line, short enough for a commit subject (<c>feat: {title}</c>).</summary>
    private static string Title(string task)
    {
        var line = task.Trim().Split('\n')[0].Trim();
        return line.Length <= 64 ? line : line[..64] + "…";
    }
}
