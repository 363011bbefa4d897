using System.Text.Json;
using LazyAf.Modules.Execution.Data;
using LazyAf.Modules.Execution.Domain;

namespace LazyAf.Modules.Execution.Features.Runners;

/// <summary>A remote runner as the API shows it.</summary>
/// <param name="Id">Its id, also the <c>runner</c> of the executions it ran.</param>
/// <param name="Name">Its name.</param>
/// <param name="Labels">What it offers (<c>arch=arm64</c>, <c>has=docker</c>, …).</param>
/// <param name="StepKinds">The step types it runs.</param>
/// <param name="Capacity">How many steps it runs at once.</param>
/// <param name="Version">Its software and version.</param>
/// <param name="State"><c>disconnected</c>, <c>idle</c>, <c>busy</c> or <c>dead</c>.</param>
/// <param name="Connected">Whether its stream is open now.</param>
/// <param name="Draining">Whether it was asked to take no new work.</param>
/// <param name="CreatedAt">When it registered.</param>
/// <param name="ConnectedAt">When its current (or last) stream opened.</param>
/// <param name="LastSeenAt">When it last sent anything.</param>
/// <param name="Executions">The executions it holds now (assigned or running).</param>
internal sealed record RunnerResponse(
    string Id,
    string Name,
    IReadOnlyList<string> Labels,
    IReadOnlyList<string> StepKinds,
    int Capacity,
    string Version,
    string State,
    bool Connected,
    bool Draining,
    DateTimeOffset CreatedAt,
    DateTimeOffset? ConnectedAt,
    DateTimeOffset? LastSeenAt,
    IReadOnlyList<string> Executions)
{
    /// <summary>The runner of <paramref name="stored"/>, as its live session knows it when it has one.</summary>
    public static async Task<RunnerResponse> OfAsync(RemoteRunnerRow stored, RunnerHub hub, RunnerStore runners, CancellationToken ct)
    {
        var session = hub.Find(stored.Id);
        var row = session?.Row ?? stored;
        return new RunnerResponse(
            row.Id, row.Name, Read(row.Labels), Read(row.StepKinds), row.Capacity, row.Version, row.State,
            session?.Connected ?? false, row.Draining, row.CreatedAt, row.ConnectedAt,
            session is null ? row.LastSeenAt : session.LastSeen,
            await runners.HeldByAsync(row.Id, ct));
    }

    private static string[] Read(string json) => JsonSerializer.Deserialize<string[]>(json) ?? [];
}
