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
    /// <summary>The module's scripts in the order they apply, each read only when asked (most are applied already).</summary>
    public IReadOnlyList<MigrationScript> Scripts()
    {
        const string folder = ".Migrations.";
        return Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                && name.Contains(folder, StringComparison.Ordinal)
                && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name => new MigrationScript(VersionOf(name, folder), Assembly, name))
            .OrderBy(script => script.Version, StringComparer.Ordinal)
            .ToList();
    }

    private static string VersionOf(string resourceName, string folder)
    {
        var start = resourceName.LastIndexOf(folder, StringComparison.Ordinal) + folder.Length;
        return resourceName[start..^".sql".Length];
    }
}

/// <summary>One migration script: its version (the file name without <c>.sql</c>) and where its text is embedded.</summary>
/// <param name="Version">The file name without <c>.sql</c>; scripts apply in its ordinal order.</param>
/// <param name="Assembly">The assembly that embeds the script.</param>
/// <param name="ResourceName">The script's manifest resource name.</param>
public sealed record MigrationScript(string Version, Assembly Assembly, string ResourceName)
{
    /// <summary>The script's SQL.</summary>
    public string ReadSql()
    {
        using var stream = Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"Migration resource {ResourceName} vanished.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
