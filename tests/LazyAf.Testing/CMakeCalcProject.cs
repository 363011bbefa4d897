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
}
