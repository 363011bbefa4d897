using System.ComponentModel;
using System.Net;
using System.Text.Json.Nodes;
using LazyAf.Mcp.Api;
using ModelContextProtocol.Server;

namespace LazyAf.Mcp.Tools;

/// <summary>Pipelines: the stored ones and a branch's <c>.lazyaf/pipelines/*.yml</c>, checking YAML, and defining them.</summary>
[McpServerToolType]
internal sealed class PipelineTools(LazyAfApi api)
{
    [McpServerTool(Name = "list_pipelines", Title = "List pipelines", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Lists a repo's pipelines: those stored in LazyAF and the .lazyaf/pipelines/*.yml files of a branch, valid or with their errors.")]
    public async Task<string> ListPipelines(
        [Description("The repo's id or name.")] string repo,
        [Description("The branch whose pipeline files to read (default: the default branch).")] string? branch = null,
        CancellationToken ct = default)
    {
        var id = await Repos.IdAsync(api, repo, ct);
        var stored = await api.GetJsonAsync($"api/repos/{id}/pipelines", ct);
        var files = await api.GetJsonAsync($"api/repos/{id}/lazyaf/pipelines{Query.Of(("branch", branch))}", ct);
        return new JsonObject { ["stored"] = stored, ["repo_files"] = files }.ToJsonString();
    }

    [McpServerTool(Name = "get_pipeline", Title = "Get a pipeline", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Shows a stored pipeline: its YAML and its parsed steps, triggers and routes.")]
    public Task<string> GetPipeline([Description("The stored pipeline's id.")] string pipeline_id, CancellationToken ct) =>
        api.GetAsync(PipelinePath(pipeline_id), ct);

    [McpServerTool(Name = "create_pipeline", Title = "Create a pipeline", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false)]
    [Description("Stores a pipeline given as YAML in a repo; a 400 lists every error with its line and column.")]
    public async Task<string> CreatePipeline(
        [Description("The repo's id or name.")] string repo,
        [Description("The pipeline as YAML (name, steps with type, config, needs, on_success/on_failure; docs/pipelines.md).")] string yaml,
        CancellationToken ct) =>
        await api.SendAsync(HttpMethod.Post, $"api/repos/{await Repos.IdAsync(api, repo, ct)}/pipelines", Body.Of(("yaml", yaml)), ct);

    [McpServerTool(Name = "update_pipeline", Title = "Update a pipeline", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Replaces a stored pipeline with new YAML; runs under way keep the YAML they started with.")]
    public Task<string> UpdatePipeline(
        [Description("The stored pipeline's id.")] string pipeline_id,
        [Description("The whole new pipeline as YAML.")] string yaml,
        CancellationToken ct) =>
        api.SendAsync(HttpMethod.Put, PipelinePath(pipeline_id), Body.Of(("yaml", yaml)), ct);

    [McpServerTool(Name = "delete_pipeline", Title = "Delete a pipeline", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false)]
    [Description("Deletes a stored pipeline (a repo's pipeline files are not touched).")]
    public async Task<string> DeletePipeline([Description("The stored pipeline's id.")] string pipeline_id, CancellationToken ct)
    {
        await api.SendAsync(HttpMethod.Delete, PipelinePath(pipeline_id), null, ct);
        return $"deleted pipeline {pipeline_id}";
    }

    [McpServerTool(Name = "validate_pipeline", Title = "Validate a pipeline", ReadOnly = true, Idempotent = true, OpenWorld = false)]
    [Description("Checks a pipeline's YAML without storing it: its steps when valid, else every error with line and column.")]
    public async Task<string> ValidatePipeline([Description("The pipeline as YAML.")] string yaml, CancellationToken ct)
    {
        var answer = await api.ExchangeAsync(HttpMethod.Post, "api/pipelines/validate", Body.Of(("yaml", yaml)), ct);
        return answer.Status switch
        {
            HttpStatusCode.OK => "valid: " + answer.Body,
            // Invalid YAML is this tool's answer, not its failure.
            HttpStatusCode.BadRequest => "invalid: " + answer.Body,
            _ => throw LazyAfApi.Failure(HttpMethod.Post, "api/pipelines/validate", answer),
        };
    }

    private static string PipelinePath(string pipelineId) => $"api/pipelines/{JsonFields.Segment(pipelineId)}";
}
