using System.Reflection;

namespace LazyAf.Kernel.Db;

/// <summary>
/// A module's schema: the embedded <c>*.sql</c> resources in a <c>Migrations</c> folder (a module keeps it under <c>Data/</c>),
/// applied in file-name order (<c>0001_create_repos.sql</c>, <c>0002_…</c>).
/// </summary>
/// <param name="Module">The module's name; also the prefix of its tables.</param>
/// <param name="Assembly">The assembly that embeds the scripts.</param>
/// <param name="ResourcePrefix">Only resources whose name starts with this, when one assembly holds several sets.</param>
public sealed record ModuleMigrations(string Module, Assembly Assembly, string ResourcePrefix = "")
{
    /// <summary>The module's scripts in the order they apply, as (version, sql).</summary>
    public IReadOnlyList<(string Version, string Sql)> LoadScripts()
    {
        const string folder = ".Migrations.";
        return Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                && name.Contains(folder, StringComparison.Ordinal)
                && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => (Version: VersionOf(name, folder), Name: name))
            .OrderBy(script => script.Version, StringComparer.Ordinal)
            .Select(script => (script.Version, Read(script.Name)))
            .ToList();
    }

    private static string VersionOf(string resourceName, string folder)
    {
        var start = resourceName.LastIndexOf(folder, StringComparison.Ordinal) + folder.Length;
        return resourceName[start..^".sql".Length];
    }

    private string Read(string resourceName)
    {
        using var stream = Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"Migration resource {resourceName} vanished.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
