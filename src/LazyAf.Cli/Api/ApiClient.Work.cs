using System.Net.Http.Json;

namespace LazyAf.Cli.Api;

/// <summary>Cancelling, editing and deleting: the calls behind the commands that change or stop what LazyAF holds.</summary>
internal sealed partial class ApiClient
{
    /// <summary>Cancels the execution (a running one is killed by its executor); null when there is no such execution.</summary>
    public Task<Execution?> CancelExecutionAsync(string executionId, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync(ExecutionPath(executionId, "cancel"), content: null, ct), ApiJson.Default.Execution, ct);

    /// <summary>Cancels the pipeline run and its running steps; null when there is no such run.</summary>
    public Task<PipelineRun?> CancelPipelineRunAsync(string runId, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync($"api/pipeline-runs/{Uri.EscapeDataString(runId)}/cancel", content: null, ct), ApiJson.Default.PipelineRun, ct);

    /// <summary>Cancels what works on the card now (its attempt's execution, its pipeline runs); null when there is no such card.</summary>
    public Task<CardCancel?> CancelCardAsync(string cardId, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsync(CardPath(cardId, "cancel"), content: null, ct), ApiJson.Default.CardCancel, ct);

    /// <summary>The tool-permission requests of every execution in <paramref name="state"/>, oldest first.</summary>
    public Task<List<QueuedApproval>> ListApprovalQueueAsync(string state, CancellationToken ct) =>
        GetListAsync($"api/approvals?state={Uri.EscapeDataString(state)}", ApiJson.Default.ListQueuedApproval, ct);

    /// <summary>What the card's branch changed since its base; null when there is no such card.</summary>
    public Task<RepoDiff?> CardDiffAsync(string cardId, CancellationToken ct) =>
        FindAsync(CardPath(cardId, "diff"), ApiJson.Default.RepoDiff, ct);

    /// <summary>Edits the card's fields; null when there is no such card.</summary>
    public Task<Card?> UpdateCardAsync(string cardId, UpdateCardRequest request, CancellationToken ct) =>
        SendForAsync(() => _http.PatchAsync(CardPath(cardId), JsonContent.Create(request, ApiJson.Default.UpdateCardRequest), ct), ApiJson.Default.Card, ct);

    /// <summary>Deletes the card; false when there is no such card.</summary>
    public async Task<bool> DeleteCardAsync(string cardId, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync(CardPath(cardId), ct), ct);
        return response is not null;
    }

    /// <summary>Blocks the card by <paramref name="blockerIds"/>; null when the card (or a blocker) does not exist.</summary>
    public Task<Card?> AddDependenciesAsync(string cardId, List<string> blockerIds, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync(CardPath(cardId, "dependencies"), new AddDependenciesRequest(blockerIds), ApiJson.Default.AddDependenciesRequest, ct),
            ApiJson.Default.Card, ct);

    /// <summary>Unblocks the card from one blocker; false when the card does not exist or was not blocked by it.</summary>
    public async Task<bool> RemoveDependencyAsync(string cardId, string blockerId, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync(CardPath(cardId, $"dependencies/{Uri.EscapeDataString(blockerId)}"), ct), ct);
        return response is not null;
    }

    /// <summary>The execution's tool-permission requests; null when there is no such execution.</summary>
    public Task<List<Approval>?> ListApprovalsAsync(string executionId, CancellationToken ct) =>
        FindListAsync(ExecutionPath(executionId, "approvals"), ApiJson.Default.ListApproval, ct);

    /// <summary>Allows or denies a pending request; null when there is no such request.</summary>
    public Task<Approval?> AnswerApprovalAsync(string executionId, string requestId, ApprovalAnswer answer, CancellationToken ct) =>
        SendForAsync(() => _http.PostAsJsonAsync(ExecutionPath(executionId, $"approvals/{Uri.EscapeDataString(requestId)}"), answer, ApiJson.Default.ApprovalAnswer, ct),
            ApiJson.Default.Approval, ct);

    /// <summary>The names of a repo's secrets, or the global ones when <paramref name="repoId"/> is null; null when the repo does not exist.</summary>
    public Task<List<Secret>?> ListSecretsAsync(string? repoId, CancellationToken ct) =>
        FindListAsync(SecretsPath(repoId), ApiJson.Default.ListSecret, ct);

    /// <summary>Creates or replaces a secret; false when the repo does not exist.</summary>
    public async Task<bool> SetSecretAsync(string? repoId, string name, string value, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.PutAsJsonAsync(SecretsPath(repoId, name), new SetSecretRequest(value), ApiJson.Default.SetSecretRequest, ct), ct);
        return response is not null;
    }

    /// <summary>Deletes a secret; false when the repo or the secret does not exist.</summary>
    public async Task<bool> DeleteSecretAsync(string? repoId, string name, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync(SecretsPath(repoId, name), ct), ct);
        return response is not null;
    }

    /// <summary>Removes a webhook (its URL answers 404 from then on); false when the repo or the webhook does not exist.</summary>
    public async Task<bool> DeleteWebhookAsync(string repoId, string webhookId, CancellationToken ct)
    {
        using var response = await SendFindingAsync(() => _http.DeleteAsync($"api/repos/{Uri.EscapeDataString(repoId)}/webhooks/{Uri.EscapeDataString(webhookId)}", ct), ct);
        return response is not null;
    }

    private static string SecretsPath(string? repoId, string? name = null) =>
        (repoId is null ? "api/secrets" : $"api/repos/{Uri.EscapeDataString(repoId)}/secrets") + (name is null ? "" : "/" + Uri.EscapeDataString(name));
}
