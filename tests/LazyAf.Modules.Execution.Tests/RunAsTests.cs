using System.Runtime.Versioning;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>
/// The host's own steps run as <c>Execution:RunAs</c>, in workspaces outside the data directory; a host set up so that
/// its steps could not reach their workspaces does not start.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class RunAsTests : IDisposable
{
    private readonly TempDir _work = new();
    private readonly TempDir _data = new("lazyaf-data");

    public void Dispose()
    {
        _work.Dispose();
        _data.Dispose();
    }

    [AsRootFact]
    public async Task A_card_s_script_runs_as_the_configured_user_and_its_work_is_pushed()
    {
        var user = StepUser.Get();
        var workspaces = _work.Combine("workspaces");
        await using var host = LazyAfHost.Start(settings: new Dictionary<string, string>
        {
            ["Execution:RunAs"] = StepUser.Name,
            ["Workspaces:Root"] = workspaces,
        });
        var runs = new CardRuns(host);
        var repo = await SeededRepo.CreateAsync(host, _work, "run-as");
        var card = await runs.CreateScriptCardAsync(repo.Id, "echo \"$(id -un) $(id -u)\" > who.txt; touch \"$HOME/.probe\" && echo home-writable >> who.txt", new { commit = true });

        await runs.StartAsync(card);

        var settled = await runs.SettledAsync(card);
        Assert.Equal("in_review", settled.Str("status"));
        await repo.GitAsync("fetch", "--quiet", "origin");
        Assert.Equal($"{user.Name} {user.Uid}\nhome-writable", await repo.GitAsync("show", $"origin/{settled.Str("branch_name")}:who.txt"));
        Assert.True(Directory.Exists(workspaces));
        Assert.False(Directory.Exists(Path.Combine(host.DataDir, "workspaces")));
        Assert.Equal("700", Convert.ToString((int)File.GetUnixFileMode(host.DataDir), 8));
    }

    [AsRootFact]
    public async Task Steps_run_as_a_user_with_workspaces_in_the_data_directory_stop_the_host_with_one_line()
    {
        _ = StepUser.Get();
        await using var host = HostProcess.Start(["--urls", "http://127.0.0.1:0", "--data-dir", _data.Path, $"--Execution:RunAs={StepUser.Name}"]);

        var (exitCode, stderr) = await host.ExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"lazyaf: setting Execution:RunAs: '{StepUser.Name}' cannot reach workspaces in the data directory {_data.Path}, which is the owner's alone; set Workspaces:Root to a directory outside it",
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [AsRootFact]
    public async Task Steps_run_as_a_user_who_cannot_get_into_the_workspaces_root_stop_the_host_with_one_line()
    {
        _ = StepUser.Get();
        var closed = _work.Combine("closed");
        Directory.CreateDirectory(closed);
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var workspaces = Path.Combine(closed, "workspaces");
        await using var host = HostProcess.Start(["--urls", "http://127.0.0.1:0", "--data-dir", _data.Path,
            $"--Execution:RunAs={StepUser.Name}", $"--Workspaces:Root={workspaces}"]);

        var (exitCode, stderr) = await host.ExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Equal(
            $"lazyaf: setting Execution:RunAs: '{StepUser.Name}' cannot reach the workspaces in {workspaces}: a directory above it does not let {StepUser.Name} through",
            Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
