using System.Net;
using System.Runtime.InteropServices;
using Dapper;
using LazyAf.Kernel.Db;
using LazyAf.Modules.Execution.Domain;
using LazyAf.Modules.Execution.Handlers;
using LazyAf.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// The executor seam with the local executor and probe executors beside it: the router picks by labels and free
/// slots, cancel goes to the executor that holds the execution, an executor may refuse, and recovery asks the executor.
/// </summary>
public sealed class ExecutorSeamTests : IAsyncLifetime
{
    private readonly TempDir _work = new();
    private LazyAfHost _host = null!;
    private CardRuns _runs = null!;

    private HttpClient Api => _host.Client;

    public Task InitializeAsync()
    {
        _host = LazyAfHost.Start(configureServices: services =>
        {
            services.AddSingleton<IExecutor>(sp => new ProbeExecutor("probe", "gpu", sp));
            services.AddSingleton<IExecutor>(sp => new ProbeExecutor("holder", "hold", sp) { Holds = true });
            services.AddSingleton<IExecutor>(sp => new ProbeExecutor("refuser", "refuse", sp) { Refuse = 1 });
        });
        _runs = new CardRuns(_host);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _work.Dispose();
    }

    [Fact]
    public async Task A_step_runs_only_where_every_label_it_requires_is_and_waits_while_no_executor_has_them()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "labels");
        var waiting = await _runs.StartAsync(await CardAsync(repo.Id, "echo never", "nobody-has-this"));
        var onProbe = await _runs.StartAsync(await CardAsync(repo.Id, "echo probed", "gpu"));
        var local = await _runs.StartAsync(await CardAsync(repo.Id, "echo local"));

        await CardRuns.WaitForStateAsync(Api, onProbe, "failed");
        await CardRuns.WaitForStateAsync(Api, local, "succeeded");

        Assert.Equal(("probe", ProbeExecutor.Probed), RunnerAndError(await _runs.ExecutionAsync(onProbe)));
        Assert.Equal("echo probed", ((Runner.ScriptStepDefinition)ProbeExecutor.Of(_host, "probe").Specs[onProbe].Step).Command);
        Assert.Equal("local", (await _runs.ExecutionAsync(local)).Str("runner"));
        // Both were routed after it (oldest first), so the router has looked at it and left it waiting.
        var stillWaiting = await _runs.ExecutionAsync(waiting);
        Assert.Equal("pending", stillWaiting.Str("state"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, stillWaiting.GetProperty("runner").ValueKind);
        Assert.DoesNotContain(waiting, ProbeExecutor.Of(_host, "probe").Offered);
    }

    [Fact]
    public async Task Steps_waiting_for_a_busy_executor_go_oldest_first_and_a_new_one_does_not_jump_the_queue()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "queue");
        var first = await _runs.StartAsync(await CardAsync(repo.Id, "sleep 600", "hold"));
        await CardRuns.WaitForStateAsync(Api, first, "running");
        var second = await _runs.StartAsync(await CardAsync(repo.Id, "sleep 601", "hold"));
        var third = await _runs.StartAsync(await CardAsync(repo.Id, "sleep 602", "hold"));

        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostAsync($"/api/executions/{first}/cancel", null)).StatusCode);
        await CardRuns.WaitForStateAsync(Api, second, "running");

        // The holder has one slot: the second took it, so the third (submitted while the holder was busy) still waits.
        Assert.Equal("pending", (await _runs.ExecutionAsync(third)).Str("state"));
        Assert.DoesNotContain(third, ProbeExecutor.Of(_host, "holder").Offered);
        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostAsync($"/api/executions/{second}/cancel", null)).StatusCode);
        await CardRuns.WaitForStateAsync(Api, third, "running");
        Assert.Equal([first, second, third], ProbeExecutor.Of(_host, "holder").Offered);
    }

    [Fact]
    public async Task The_local_executor_has_its_machines_os_and_architecture_as_labels()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "local-labels");
        var arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();

        var execution = await _runs.StartAsync(await CardAsync(repo.Id, "echo here", "os=linux", $"arch={arch}", "linux", arch));

        await CardRuns.WaitForStateAsync(Api, execution, "succeeded");
        Assert.Equal("local", (await _runs.ExecutionAsync(execution)).Str("runner"));
    }

    [Fact]
    public async Task Cancel_goes_to_the_executor_that_holds_the_execution()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "held");
        var execution = await _runs.StartAsync(await CardAsync(repo.Id, "sleep 600", "hold"));
        await CardRuns.WaitForStateAsync(Api, execution, "running");

        Assert.Equal(HttpStatusCode.Accepted, (await Api.PostAsync($"/api/executions/{execution}/cancel", null)).StatusCode);

        await CardRuns.WaitForStateAsync(Api, execution, "cancelled");
        Assert.Equal([execution], ProbeExecutor.Of(_host, "holder").Cancelled);
        Assert.Equal("holder", (await _runs.ExecutionAsync(execution)).Str("runner"));
    }

    [Fact]
    public async Task An_execution_its_executor_does_not_take_goes_back_to_pending_and_is_assigned_again()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "refused");

        var execution = await _runs.StartAsync(await CardAsync(repo.Id, "echo refused", "refuse"));

        await CardRuns.WaitForStateAsync(Api, execution, "failed");
        var refuser = ProbeExecutor.Of(_host, "refuser");
        Assert.Equal([execution, execution], refuser.Offered);
        Assert.True(refuser.Specs.ContainsKey(execution));
        Assert.Equal(("refuser", ProbeExecutor.Probed), RunnerAndError(await _runs.ExecutionAsync(execution)));
    }

    [Fact]
    public async Task At_restart_an_execution_held_by_an_executor_the_host_no_longer_has_fails()
    {
        var repo = await SeededRepo.CreateAsync(_host, _work, "orphaned");
        var execution = await _runs.StartAsync(await CardAsync(repo.Id, "sleep 600", "hold"));
        await CardRuns.WaitForStateAsync(Api, execution, "running");
        await using (var connection = await _host.Services.GetRequiredService<IDatabase>().OpenAsync(default))
            await connection.ExecuteAsync("UPDATE execution_executions SET runner = 'gone-runner' WHERE id = @execution", new { execution });

        await _host.RestartAsync();

        await CardRuns.WaitForStateAsync(Api, execution, "failed");
        Assert.Equal(("gone-runner", ExecutionRecovery.HostRestarted), RunnerAndError(await _runs.ExecutionAsync(execution)));
    }

    private async Task<string> CardAsync(string repoId, string command, params string[] requires)
    {
        var card = await (await Api.PostJsonAsync($"/api/repos/{repoId}/cards",
            new { title = command, step_type = "script", step_config = new { command }, requires })).JsonAsync(HttpStatusCode.Created);
        return card.Str("id");
    }

    private static (string Runner, string Error) RunnerAndError(System.Text.Json.JsonElement execution) => (execution.Str("runner"), execution.Str("error"));
}
