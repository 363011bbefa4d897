using System.Text.RegularExpressions;

namespace LazyAf.Architecture.Tests;

/// <summary>
/// xunit 2 disposes a test class through <c>IDisposable</c> or <c>IAsyncLifetime</c>, never through
/// <c>IAsyncDisposable</c>: a test class that cleans up only there leaks what it started (hosts, agent processes) into
/// every test after it.
/// </summary>
public sealed partial class TestClassLifetimeTests
{
    [Fact]
    public void A_test_class_that_disposes_asynchronously_does_it_through_IAsyncLifetime()
    {
        var tests = new DirectoryInfo(Path.Combine(SourceTree.Root.FullName, "tests"));
        var leaking = tests.EnumerateFiles("*.cs", SearchOption.AllDirectories)
            .Where(f => !f.FullName.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.FullName.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(f => (File: f, Text: File.ReadAllText(f.FullName)))
            .Where(f => TestAttribute().IsMatch(f.Text))
            .SelectMany(f => PublicClass().Matches(f.Text).Select(m => (f.File, Class: m.Groups["name"].Value, Bases: m.Groups["bases"].Value)))
            .Where(c => c.Bases.Contains("IAsyncDisposable", StringComparison.Ordinal) && !c.Bases.Contains("IAsyncLifetime", StringComparison.Ordinal))
            .Select(c => $"{Path.GetRelativePath(tests.FullName, c.File.FullName)}: {c.Class}")
            .ToList();

        Assert.True(leaking.Count == 0, "Test classes xunit never disposes (use IAsyncLifetime):\n" + string.Join('\n', leaking));
    }

    [Fact]
    public void The_scan_sees_a_test_class_and_its_bases()
    {
        var match = PublicClass().Match("public sealed class SomeTests(Fixture fixture) : IClassFixture<Fixture>, IAsyncDisposable\n{");

        Assert.Equal("SomeTests", match.Groups["name"].Value);
        Assert.Contains("IAsyncDisposable", match.Groups["bases"].Value, StringComparison.Ordinal);
        Assert.Matches(TestAttribute(), "    [Fact]\n    public async Task X()");
    }

    [GeneratedRegex(@"^\s*\[(Fact|Theory)\b", RegexOptions.Multiline)]
    private static partial Regex TestAttribute();

    // A top-level public class (xunit runs only public ones) and its base list, up to the opening brace.
    [GeneratedRegex(@"^public\s+(?:sealed\s+|abstract\s+|partial\s+)*class\s+(?<name>\w+)[^:{;]*(?::(?<bases>[^{;]*))?[{;]", RegexOptions.Multiline)]
    private static partial Regex PublicClass();
}
