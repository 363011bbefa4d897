using System.Xml.Linq;

namespace LazyAf.Architecture.Tests;

/// <summary>Every project reference under <c>src/</c> is an arrow the <see cref="LayerMap"/> allows.</summary>
public sealed class ProjectReferenceTests
{
    public static TheoryData<string> Projects => [.. SourceTree.Projects().Select(p => Path.GetFileNameWithoutExtension(p.Name))];

    [Theory]
    [MemberData(nameof(Projects))]
    public void A_project_references_only_what_the_layer_map_allows(string project)
    {
        Assert.True(LayerMap.Allowed.TryGetValue(project, out var allowed), $"{project} is not in LayerMap: place it in a layer on purpose.");

        var forbidden = ReferencesOf(project).Where(reference => !allowed.Any(rule => Matches(rule, reference))).ToList();

        Assert.True(forbidden.Count == 0, $"{project} references {string.Join(", ", forbidden)}, which LayerMap does not allow it.");
    }

    [Fact]
    public void The_runner_side_knows_no_module_and_no_host()
    {
        foreach (var project in new[] { "LazyAf.Runner", "LazyAf.Runner.Docker", "LazyAf.Cli", "LazyAf.Client", "LazyAf.Mcp", "LazyAf.Protocol", "LazyAf.NativeAgent", "LazyAf.RunnerAgent" })
            Assert.DoesNotContain(ReferencesOf(project), r => r.StartsWith(SourceTree.ModulePrefix, StringComparison.Ordinal) || r == "LazyAf.Host");
    }

    [Fact]
    public void The_layer_map_names_only_projects_that_exist()
    {
        var projects = SourceTree.Projects().Select(p => Path.GetFileNameWithoutExtension(p.Name)).ToHashSet();
        Assert.All(LayerMap.Allowed.Keys, name => Assert.Contains(name, projects));
    }

    private static bool Matches(string rule, string reference) =>
        rule.EndsWith('*') ? reference.StartsWith(rule[..^1], StringComparison.Ordinal) : rule == reference;

    private static List<string> ReferencesOf(string project)
    {
        var file = SourceTree.Projects().Single(p => Path.GetFileNameWithoutExtension(p.Name) == project);
        return XDocument.Load(file.FullName).Descendants("ProjectReference")
            .Select(r => Path.GetFileNameWithoutExtension(((string?)r.Attribute("Include") ?? "").Replace('\\', '/')))
            .ToList();
    }
}
