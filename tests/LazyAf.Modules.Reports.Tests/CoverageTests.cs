using System.Net;
using System.Text.Json;
using LazyAf.Testing;

namespace LazyAf.Modules.Reports.Tests;

/// <summary>
/// Acceptance 2: coverage from a real lcov file (gcc <c>--coverage</c>, CTest, <c>lcov --capture</c>) shows on the run,
/// with its change against the base, and its trend over two commits.
/// </summary>
public sealed class CoverageTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string Pipeline = """
        name: coverage
        steps:
          - id: test
            config:
              command: |
                cmake -S . -B build -DCMAKE_C_FLAGS=--coverage && cmake --build build
                (cd build && ctest --output-junit report.xml)
                lcov --quiet --capture --directory build --rc lcov_branch_coverage=1 --output-file build/lcov.info
        """;

    private const string CMakeLists = """
        cmake_minimum_required(VERSION 3.21)
        project(calc C)
        enable_testing()
        add_library(calc calc.c)
        file(GLOB tests test_*.c)
        foreach(test ${tests})
          get_filename_component(name ${test} NAME_WE)
          add_executable(${name} ${test})
          target_link_libraries(${name} calc)
          add_test(NAME ${name} COMMAND ${name})
        endforeach()
        """;

    private const string Calc = """
        int add(int a, int b) { return a + b; }
        int clamp(int a, int low, int high) {
          if (a < low)
            return low;
          if (a > high)
            return high;
          return a;
        }
        """;

    private readonly TempDir _work = new();
    private readonly PipelineRuns _runs = new(fixture.Host);

    private HttpClient Api => fixture.Host.Client;

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Coverage_from_a_real_lcov_file_shows_on_the_run_with_its_change_and_its_trend_over_two_commits()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "coverage-lcov");
        await repo.CommitAsync(".gitignore", "build/\n", "ignore the build");
        await repo.CommitAsync("CMakeLists.txt", CMakeLists, "cmake");
        await repo.CommitAsync("calc.c", Calc, "calc");
        await repo.CommitAsync("test_add.c", "int add(int a, int b);\nint main(void) { return add(2, 3) == 5 ? 0 : 1; }\n", "test add");
        await PipelineRuns.CommitPipelineAsync(repo, "coverage", Pipeline);
        var first = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "coverage"), timeoutSeconds: 180);
        await repo.CommitAsync("test_clamp.c", "int clamp(int a, int l, int h);\nint main(void) { return clamp(5, 0, 3) == 3 && clamp(-1, 0, 3) == 0 ? 0 : 1; }\n", "test clamp");
        await repo.PushAsync("main");

        var second = await _runs.SettledAsync(await _runs.RunAsync(repo.Id, "coverage"), timeoutSeconds: 180);

        Assert.Equal(("passed", "passed"), (first.Str("state"), second.Str("state")));
        var before = await CoverageOfRunAsync(first.Str("id"));
        var after = await CoverageOfRunAsync(second.Str("id"));
        Assert.Equal(JsonValueKind.Null, before.GetProperty("base").ValueKind);
        var covered = after.GetProperty("coverage");
        Assert.Equal(second.Str("commit_sha"), covered.Str("commit_sha"));
        // clamp's lines and both of its branches are now run.
        Assert.True(covered.GetProperty("lines_covered").GetInt64() > before.GetProperty("coverage").GetProperty("lines_covered").GetInt64(), after.ToString());
        Assert.True(covered.GetProperty("branches_covered").GetInt64() > 0, after.ToString());
        Assert.Equal(first.Str("id"), after.GetProperty("base").Str("run_id"));
        Assert.True(after.GetProperty("line_rate_change").GetDouble() > 0, after.ToString());
        Assert.Equal(
            Math.Round(covered.GetProperty("line_rate").GetDouble() - after.GetProperty("base").GetProperty("line_rate").GetDouble(), 4),
            after.GetProperty("line_rate_change").GetDouble(), 3);

        var trend = await (await Api.GetAsync($"/api/repos/{repo.Id}/coverage?branch=main")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([second.Str("commit_sha"), first.Str("commit_sha")], trend.EnumerateArray().Select(p => p.Str("commit_sha")).ToArray());
        Assert.True(trend[0].GetProperty("line_rate").GetDouble() > trend[1].GetProperty("line_rate").GetDouble());

        // The dashboard counts both runs (from Pipelines' events) and draws the day's coverage.
        JsonElement dashboard = default;
        await Eventually.HoldsAsync(
            async () => (dashboard = await (await Api.GetAsync($"/api/repos/{repo.Id}/dashboard?days=7")).JsonAsync(HttpStatusCode.OK))
                .GetProperty("pipelines").EnumerateArray().Any(p => p.GetProperty("runs").GetInt32() == 2),
            () => Task.FromResult(dashboard.ToString()), TimeSpan.FromSeconds(30));
        var pipeline = Assert.Single(dashboard.GetProperty("pipelines").EnumerateArray());
        Assert.Equal(("coverage", 1.0), (pipeline.Str("pipeline"), pipeline.GetProperty("pass_rate").GetDouble()));
        Assert.True(pipeline.GetProperty("median_seconds").GetDouble() > 0 && pipeline.GetProperty("p90_seconds").GetDouble() >= pipeline.GetProperty("median_seconds").GetDouble());
        Assert.Equal(2, dashboard.GetProperty("runs_per_day").EnumerateArray().Sum(d => d.GetProperty("passed").GetInt32()));
        Assert.Equal(1.0, dashboard.GetProperty("pass_rate").GetDouble());
        Assert.Equal(trend[0].GetProperty("line_rate").GetDouble(), Assert.Single(dashboard.GetProperty("coverage").EnumerateArray()).GetProperty("line_rate").GetDouble());
        Assert.Equal(2, Assert.Single(dashboard.GetProperty("slowest_tests").EnumerateArray(), t => t.Str("name") == "test_add.test_add").GetProperty("runs").GetInt32());
        await (await Api.GetAsync($"/api/repos/{repo.Id}/dashboard?days=0")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_run_without_coverage_and_an_unknown_repo_are_not_found()
    {
        await (await Api.GetAsync("/api/pipeline-runs/nope/coverage")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync("/api/executions/nope/coverage")).ProblemAsync(HttpStatusCode.NotFound);
        await (await Api.GetAsync("/api/repos/nope/coverage")).ProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<JsonElement> CoverageOfRunAsync(string runId) =>
        await (await Api.GetAsync($"/api/pipeline-runs/{runId}/coverage")).JsonAsync(HttpStatusCode.OK);
}
