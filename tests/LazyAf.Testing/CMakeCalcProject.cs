namespace LazyAf.Testing;

/// <summary>A small real C project (a calc library and one CTest test per operation) and the pipeline that builds and tests it.</summary>
public static class CMakeCalcProject
{
    /// <summary>Build, then CTest with a JUnit report, in one workspace.</summary>
    public const string Pipeline = """
        name: ctest
        steps:
          - id: build
            config: {command: "cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build"}
            continue_in_context: true
          - id: test
            config: {command: "cd build && ctest --output-on-failure --output-junit report.xml"}
            continue_in_context: true
        """;

    /// <summary>The library <c>calc.c</c> and the tests <c>test_add.c</c>, <c>test_sub.c</c>, <c>test_mul.c</c>.</summary>
    public const string CMakeLists = """
        cmake_minimum_required(VERSION 3.21)
        project(calc C)
        enable_testing()
        add_library(calc calc.c)
        foreach(name add sub mul)
          add_executable(test_${name} test_${name}.c)
          target_link_libraries(test_${name} calc)
          add_test(NAME ${name} COMMAND test_${name})
        endforeach()
        """;

    /// <summary>
    /// Commits the project and <paramref name="pipeline"/> (as <c>ctest</c>) to <paramref name="repo"/> and pushes them:
    /// <c>mul</c> computes <paramref name="multiply"/>, and its test passes when <paramref name="mulHolds"/> (C, with
    /// <c>stdlib.h</c>) holds. A failing test prints <c>FAILED: </c> and its condition.
    /// </summary>
    public static async Task CommitAsync(SeededRepo repo, string multiply = "a * b", string mulHolds = "mul(4, 3) == 12", string pipeline = Pipeline)
    {
        ArgumentNullException.ThrowIfNull(repo);
        await repo.CommitAsync(".gitignore", "build/\n", "ignore the build");
        await repo.CommitAsync("CMakeLists.txt", CMakeLists, "cmake");
        await repo.CommitAsync("calc.h", "int add(int a, int b);\nint sub(int a, int b);\nint mul(int a, int b);\n", "header");
        await repo.CommitAsync("calc.c", $"#include \"calc.h\"\nint add(int a, int b) {{ return a + b; }}\nint sub(int a, int b) {{ return a - b; }}\nint mul(int a, int b) {{ return {multiply}; }}\n", "calc");
        foreach (var (test, holds) in new[] { ("add", "add(2, 3) == 5"), ("sub", "sub(5, 3) == 2"), ("mul", mulHolds) })
        {
            var printed = holds.Replace("\"", "\\\"", StringComparison.Ordinal);
            await repo.CommitAsync($"test_{test}.c",
                $"#include <stdio.h>\n#include <stdlib.h>\n#include \"calc.h\"\nint main(void) {{ if ({holds}) return 0; printf(\"FAILED: {printed}\\n\"); return 1; }}\n", $"test {test}");
        }
        await PipelineRuns.CommitPipelineAsync(repo, "ctest", pipeline);
    }
}
