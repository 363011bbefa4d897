using System.Net;
using LazyAf.Testing;

namespace LazyAf.Modules.Execution.Tests;

/// <summary>One host per data directory: a second one started on it says which process holds it and exits, and the first goes on.</summary>
public sealed class SecondHostTests : IDisposable
{
    private readonly TempDir _data = new("lazyaf-data");
    private readonly TempDir _work = new();

    public void Dispose()
    {
        _data.Dispose();
        _work.Dispose();
    }

    [Fact]
    public async Task A_second_host_on_the_same_data_directory_exits_1_with_one_line_and_the_first_keeps_running_its_step()
    {
        var url = $"http://127.0.0.1:{HostProcess.FreePort()}";
        using var api = OwnerCredentials.Client(url, _data.Path);
        await using var first = HostProcess.Start(["--urls", url, "--data-dir", _data.Path]);
        await first.WaitForAsync($"{url}/health");
        var repo = (await ProcessHostRepos.CreateAsync(api, url, _work, "held")).Id;
        var flag = _work.Combine("second-host-gone");
        var (card, execution) = await CardRuns.StartCardAsync(api, repo, new
        {
            title = "Outlasts the second host",
            step_type = "script",
            step_config = new { command = $"while [ ! -f {flag} ]; do sleep 0.1; done; echo done > done.txt" },
        });
        await CardRuns.WaitForStateAsync(api, execution, "running");

        await using var second = HostProcess.Start(["--urls", $"http://127.0.0.1:{HostProcess.FreePort()}", "--data-dir", _data.Path]);
        var (exitCode, stderr) = await second.ExitAsync();

        Assert.Equal(1, exitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            $"lazyaf: the data directory {_data.Path} is in use by another LazyAF host (process {first.Id}); stop it, or start this one with another --data-dir",
            line);
        await File.WriteAllTextAsync(flag, "");
        await CardRuns.WaitForStateAsync(api, execution, "succeeded");
        var settled = await (await api.GetAsync($"/api/cards/{card}")).JsonAsync(HttpStatusCode.OK);
        await Eventually.HoldsAsync(
            () => api.GetAsync($"/api/cards/{card}").GetAwaiter().GetResult().JsonAsync(HttpStatusCode.OK).GetAwaiter().GetResult().Str("status") == "in_review",
            () => settled.ToString(), TimeSpan.FromSeconds(30));
    }
}
