using Dapper;
using LazyAf.Kernel.Db;
using Microsoft.Extensions.DependencyInjection;

namespace LazyAf.Kernel.Tests;

public sealed class MigrationRunnerTests : IDisposable
{
    private readonly Testing.TempDir _dir = TestDirs.New();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Applies_each_script_once_in_order_and_is_idempotent_across_restarts()
    {
        List<(string Module, string Version, string AppliedAt)> firstRun;
        await using (var host = await KernelHost.StartAsync(_dir.Path))
        {
            firstRun = await LedgerAsync(host);
            await using var connection = await host.Get<IDatabase>().OpenAsync(default);
            Assert.Equal("blue", await connection.ExecuteScalarAsync<string>("SELECT colour FROM good_widgets WHERE name = 'seed'"));
        }

        Assert.Equal(
            [("good", "0001_create_widgets"), ("good", "0002_add_colour")],
            firstRun.Where(r => r.Module == "good").Select(r => (r.Module, r.Version)).ToArray());
        Assert.Contains(firstRun, r => r is { Module: "kernel", Version: "0001_create_outbox" });

        await using (var host = await KernelHost.StartAsync(_dir.Path))
        {
            Assert.Equal(firstRun, await LedgerAsync(host));
            await using var connection = await host.Get<IDatabase>().OpenAsync(default);
            // 0002 seeds a row: a second application would have added another.
            Assert.Equal(1, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM good_widgets"));
            var runner = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<MigrationRunner>().Single();
            Assert.Equal(0, await runner.MigrateAsync(default));
        }
    }

    [Fact]
    public async Task A_failing_script_rolls_back_completely_and_stops_start_up()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => KernelHost.StartAsync(_dir.Path, services =>
            services.AddModuleMigrations("broken", typeof(KernelHost).Assembly, "LazyAf.Kernel.Tests.Broken.")));
        Assert.Contains("no_such_table", failure.Message, StringComparison.Ordinal);

        await using var host = await KernelHost.StartAsync(_dir.Path);
        await using var connection = await host.Get<IDatabase>().OpenAsync(default);
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'broken_things'"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations WHERE module = 'broken'"));
    }

    private static async Task<List<(string Module, string Version, string AppliedAt)>> LedgerAsync(KernelHost host)
    {
        await using var connection = await host.Get<IDatabase>().OpenAsync(default);
        var rows = await connection.QueryAsync<(string, string, string)>("SELECT module, version, applied_at FROM schema_migrations ORDER BY module, version");
        return rows.ToList();
    }
}
