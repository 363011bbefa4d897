using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Cli.Tests;

/// <summary><c>lazyaf tests</c>, <c>lazyaf test quarantine|release</c>, <c>lazyaf artifacts</c> and <c>lazyaf artifact get</c> against a real host.</summary>
public sealed class ReportCommandsTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Pipeline = """
        name: ci
        steps:
          - id: test
            config:
              command: |
                mkdir -p out
                echo '<testsuite name="calc"><testcase classname="Calc" name="adds"/><testcase classname="Calc" name="divides"><failure message="by zero"/></testcase></testsuite>' > out/junit.xml
                printf 'built at step\n' > out/app.txt
            artifacts: ["out/app.txt"]
        """;

    private readonly TempDir _work = new();
    private readonly LazyafCli _cli = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Tests_quarantine_release_and_artifacts_work_from_the_command_line()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "cli-reports");
        await repo.CommitAsync(".gitignore", "out/\n", "ignore");
        await repo.CommitAsync(".lazyaf/pipelines/ci.yml", Pipeline, "pipeline");
        await repo.PushAsync("main");
        var run = (await (await fixture.Host.Client.PostJsonAsync($"/api/repos/{repo.Id}/pipelines/ci/run", new { })).JsonAsync(HttpStatusCode.Accepted)).Str("id");
        await Eventually.HoldsAsync(
            async () => (await (await fixture.Host.Client.GetAsync($"/api/pipeline-runs/{run}")).JsonAsync(HttpStatusCode.OK)).Str("state") == "failed",
            async () => (await (await fixture.Host.Client.GetAsync($"/api/pipeline-runs/{run}")).JsonAsync(HttpStatusCode.OK)).ToString(),
            TimeSpan.FromSeconds(60));

        var tests = (await _cli.RunAsync(_work.Path, "tests", "cli-reports")).AssertSucceeded().Output;
        Assert.Matches(@"Calc\.divides\s+1\s+0\.0%\s+failed", tests);
        Assert.Matches(@"Calc\.adds\s+1\s+100\.0%\s+passed", tests);
        Assert.Contains("has no flaky tests", (await _cli.RunAsync(_work.Path, "tests", "cli-reports", "--flaky")).AssertSucceeded().Output, StringComparison.Ordinal);

        var quarantined = (await _cli.RunAsync(_work.Path, "test", "quarantine", "cli-reports", "Calc.divides", "--reason", "known bug")).AssertSucceeded().Output;
        Assert.Contains("quarantined Calc.divides in cli-reports (by owner via cli)", quarantined, StringComparison.Ordinal);
        Assert.Contains("by owner via cli", (await _cli.RunAsync(_work.Path, "tests", "cli-reports")).AssertSucceeded().Output, StringComparison.Ordinal);
        (await _cli.RunAsync(_work.Path, "test", "release", "cli-reports", "Calc.divides")).AssertSucceeded();
        Assert.Contains("Calc.divides is not quarantined in cli-reports", (await _cli.RunAsync(_work.Path, "test", "release", "cli-reports", "Calc.divides")).AssertFailedWithOneLine(), StringComparison.Ordinal);

        var artifacts = (await _cli.RunAsync(_work.Path, "artifacts", run)).AssertSucceeded().Output;
        Assert.Matches(@"test\s+out/app\.txt\s+14\s", artifacts);
        var listed = JsonDocument.Parse((await _cli.RunAsync(_work.Path, "artifacts", run[..12], "--json")).AssertSucceeded().Output).RootElement;
        var kept = Assert.Single(listed.EnumerateArray());
        Assert.Equal(("test", "out/app.txt", 14L), (kept.Str("step"), kept.Str("name"), kept.GetProperty("size_bytes").GetInt64()));
        Assert.Matches("^[0-9a-f]{32}$", kept.Str("execution_id"));
        Assert.Contains("no pipeline run or execution", (await _cli.RunAsync(_work.Path, "artifacts", new string('f', 32), "--json")).AssertFailedWithOneLine(), StringComparison.Ordinal);
        var got = (await _cli.RunAsync(_work.Path, "artifact", "get", run, "out/app.txt", "-o", "copy.txt")).AssertSucceeded().Output;
        Assert.Contains("(14 bytes)", got, StringComparison.Ordinal);
        Assert.Equal("built at step\n", await File.ReadAllTextAsync(Path.Combine(_work.Path, "copy.txt")));
        Assert.Contains("has no artifact 'out/nope'", (await _cli.RunAsync(_work.Path, "artifact", "get", run, "out/nope")).AssertFailedWithOneLine(), StringComparison.Ordinal);
        Assert.Contains("no repo named 'nope'", (await _cli.RunAsync(_work.Path, "tests", "nope")).AssertFailedWithOneLine(), StringComparison.Ordinal);
    }
}
