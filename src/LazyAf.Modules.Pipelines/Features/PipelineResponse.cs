using LazyAf.Modules.Pipelines.Domain;

namespace LazyAf.Modules.Pipelines.Features;

/// <summary>A pipeline: stored (<c>source: db</c>, with an id) or a repo file (<c>source: repo</c>, with its path). Invalid files carry their errors.</summary>
internal sealed record PipelineResponse(
    string? Id, string? RepoId, string Name, string Source, string? Path, bool Valid, IReadOnlyList<ErrorView> Errors, DefinitionView? Definition, string Yaml,
    DateTimeOffset? CreatedAt, DateTimeOffset? UpdatedAt)
{
    public static PipelineResponse From(FoundPipeline found, string? repoId = null, DateTimeOffset? createdAt = null, DateTimeOffset? updatedAt = null) => new(
        found.StoredId, repoId, found.Name, found.Source, found.Path, found.Read.IsValid,
        [.. found.Read.Errors.Select(e => new ErrorView(e.Line, e.Column, e.Message))],
        found.Read.Definition is { } d ? DefinitionView.From(d) : null, found.Yaml, createdAt, updatedAt);

    public static PipelineResponse From(Data.PipelineRow row) => From(PipelineSources.Stored(row), row.RepoId, row.CreatedAt, row.UpdatedAt);
}
