namespace LazyAf.Architecture.Tests;

/// <summary>The repository's source folders, found from the test binaries.</summary>
internal static class SourceTree
{
    public const string ModulePrefix = "LazyAf.Modules.";

    public static DirectoryInfo Root { get; } = FindRoot();

    public static DirectoryInfo Src => new(Path.Combine(Root.FullName, "src"));

    /// <summary>Every project under <c>src/</c>, by name.</summary>
    public static IEnumerable<FileInfo> Projects() => Src.EnumerateFiles("*.csproj", SearchOption.AllDirectories);

    /// <summary>The module folders (<c>src/LazyAf.Modules.*</c>) by module name, e.g. <c>Cards</c>.</summary>
    public static IEnumerable<(string Name, DirectoryInfo Folder)> Modules() =>
        Src.EnumerateDirectories(ModulePrefix + "*").Select(d => (d.Name[ModulePrefix.Length..], d)).OrderBy(m => m.Item1, StringComparer.Ordinal);

    private static DirectoryInfo FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LazyAf.sln")))
            dir = dir.Parent;
        return dir ?? throw new InvalidOperationException("LazyAf.sln not found above the test binaries");
    }
}
