using System.Diagnostics;
using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>A step that fills its workspace's disk: a 1 MiB tmpfs mounted over the host's workspaces directory (needs root, as CI is).</summary>
public sealed class FullDiskTests : IAsyncLifetime
{
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();
    private string Workspaces => Path.Combine(_data.Path, "workspaces");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Workspaces);
        await RunAsync("mount", "-t", "tmpfs", "-o", "size=1m", "lazyaf-test-tmpfs", Workspaces);
    }

    public async Task DisposeAsync()
    {
        await RunAsync("umount", "--lazy", Workspaces);
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_step_that_fills_the_workspace_disk_fails_with_that_reason_and_the_host_stays_up()
    {
        await using var host = LazyAfHost.Start(_data.Path);
        var runs = new CardRuns(host);
        var repo = await SeededRepo.CreateAsync(host, _work, "full-disk");
        var card = await runs.CreateScriptCardAsync(repo.Id, "head -c 5000000 /dev/zero > big.bin");

        await runs.StartAsync(card);
        var failed = await runs.SettledAsync(card);

        Assert.Equal("failed", failed.Str("status"));
        var events = await (await host.Client.GetAsync($"/api/cards/{card}/events")).JsonAsync(HttpStatusCode.OK);
        Assert.Contains("disk is full", events[events.GetArrayLength() - 1].Str("reason"), StringComparison.Ordinal);
        Assert.Equal("Healthy", await host.Client.GetStringAsync("/health"));
    }

    private static async Task RunAsync(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed (this test needs root): {error}");
    }
}
