using System.Net.Http.Json;

namespace LazyAf.Cli.Api;

/// <summary>The test history, quarantine and artifacts.</summary>
internal sealed partial class ApiClient
{
    /// <summary>The repo's tests (most failures first), only flaky ones when asked; null when the repo does not exist.</summary>
    public Task<List<TestSummaryRow>?> ListTestsAsync(string repoId, bool flaky, int limit, CancellationToken ct) =>
        FindAsync($"api/repos/{Uri.EscapeDataString(repoId)}/tests?limit={limit}{(flaky ? "&flaky=true" : "")}", ReportsJson.Default.ListTestSummaryRow, ct);

    /// <summary>Quarantines a test of the repo; null when the repo does not exist.</summary>
    public Task<Quarantined?> QuarantineTestAsync(string repoId, string test, string? reason, CancellationToken ct) =>
        SendForAsync(() => _http.PutAsJsonAsync($"api/repos/{Uri.EscapeDataString(repoId)}/quarantine/{Uri.EscapeDataString(test)}",
            new QuarantineRequest(reason), ReportsJson.Default.QuarantineRequest, ct), ReportsJson.Default.Quarantined, ct);

    /// <summary>Releases a quarantined test; false when it was not quarantined (or the repo does not exist).</summary>
    public async Task<bool> ReleaseTestAsync(string repoId, string test, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync($"api/repos/{Uri.EscapeDataString(repoId)}/quarantine/{Uri.EscapeDataString(test)}", ct), ct);
        return response is not null;
    }

    /// <summary>The artifacts of an execution; null when there is no such execution.</summary>
    public Task<List<Artifact>?> ListArtifactsAsync(string executionId, CancellationToken ct) =>
        FindListAsync($"api/executions/{Uri.EscapeDataString(executionId)}/artifacts", ReportsJson.Default.ListArtifact, ct);

    /// <summary>Streams an artifact into <paramref name="target"/>; false when there is no such artifact.</summary>
    public async Task<bool> DownloadArtifactAsync(string executionId, string name, Stream target, CancellationToken ct)
    {
        var path = $"api/executions/{Uri.EscapeDataString(executionId)}/artifacts/{string.Join('/', name.Split('/').Select(Uri.EscapeDataString))}";
        using var response = await SendFindingAsync(() => _http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct), ct);
        if (response is null)
            return false;
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(target, ct);
        return true;
    }
}
