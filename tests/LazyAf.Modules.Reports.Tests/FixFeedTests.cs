using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Reports.Tests;

/// <summary>A fix step's failing tests say which are new on its branch and which already failed on the base branch.</summary>
public sealed class FixFeedTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    // Calc.old always fails; Calc.fresh fails only where the branch added the file 'broken'.
    private const string Pipeline = """
        name: loop
        max_attempts: 2
        steps:
          - id: test
            config:
              command: |
                mkdir -p out
                if [ -f broken ]; then F='<failure message="fresh broke"/>'; else F=''; fi
                echo "<testsuite name=\"calc\"><testcase classname=\"Calc\" name=\"old\"><failure message=\"old bug\"/></testcase><testcase classname=\"Calc\" name=\"fresh\">$F</testcase></testsuite>" > out/junit.xml
            on_failure: run:fix
          - id: fix
            config: {command: "cat .lazyaf-context/test-failures.md"}
        """;

    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task The_fix_step_is_told_which_failures_are_new_on_the_branch_and_which_already_fail_on_the_base()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "fix-feed");
        await repo.CommitAsync(".gitignore", "out/\n", "ignore");
        await PipelineRuns.CommitPipelineAsync(repo, "loop", Pipeline);
        var onMain = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "loop"), timeoutSeconds: 120);
        await repo.GitAsync("checkout", "--quiet", "-b", "feature");
        await repo.CommitAsync("broken", "yes\n", "break fresh");
        await repo.PushAsync("feature");

        var onFeature = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "loop", new { branch = "feature" }), timeoutSeconds: 120);

        Assert.Equal(("failed", "failed"), (onMain.Str("state"), onFeature.Str("state")));
        var tests = PipelineRuns.Step(onFeature, "test").GetProperty("attempts")[0].GetProperty("tests");
        Assert.Equal(["Calc.old"], tests.GetProperty("failing_on_base").EnumerateArray().Select(n => n.GetString()!).ToArray());
        var context = await _runs.LogsAsync(onFeature.Str("id"), "fix", attempt: 1);
        Assert.Contains("## Calc.old (already failing on the base branch)", context, StringComparison.Ordinal);
        Assert.Contains("## Calc.fresh (new: it passes on the base branch)", context, StringComparison.Ordinal);
        // On main itself nothing had failed before the first run: every failure there was new.
        Assert.Equal(JsonValueKind.Array, PipelineRuns.Step(onMain, "test").GetProperty("attempts")[0].GetProperty("tests").GetProperty("failing_on_base").ValueKind);
    }
}
