using System.Reflection;
using System.Text.RegularExpressions;

namespace LazyAf.Architecture.Tests;

/// <summary>
/// A module's SQL — its embedded migrations and the statements in its code — names only tables with its
/// own prefix (<c>cards_</c> for Cards): no module reads or writes another's tables.
/// </summary>
public sealed partial class TableOwnershipTests
{
    public static TheoryData<string> Modules => [.. SourceTree.Modules().Select(m => m.Name)];

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_names_only_its_own_tables(string module)
    {
        var prefix = module.ToLowerInvariant() + "_";
        var foreign = SqlOf(module)
            .SelectMany(sql => TablesNamed(sql.Text).Except(TakenOver(sql.Text, prefix)).Select(table => (table, sql.Source)))
            .Where(use => !use.table.StartsWith(prefix, StringComparison.Ordinal) && !SqliteOwn(use.table))
            .Select(use => $"{use.table} in {use.Source}")
            .Distinct()
            .ToList();

        Assert.True(foreign.Count == 0, $"{module} names tables it does not own (prefix {prefix}): {string.Join("; ", foreign)}");
    }

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_has_sql_to_check(string module)
    {
        // Guards the scan itself: a module with a schema whose SQL the scan no longer sees would pass the rule above vacuously.
        var tables = SqlOf(module).SelectMany(sql => TablesNamed(sql.Text)).ToList();
        Assert.True(tables.Count > 0, $"No SQL found for {module}: the scan of its migrations and code is broken.");
    }

    [Fact]
    public void The_scan_sees_every_way_a_statement_names_a_table()
    {
        const string sql = """
            CREATE TABLE IF NOT EXISTS a_one (id TEXT REFERENCES b_two(id));
            CREATE INDEX ix ON c_three (id);
            INSERT INTO d_four SELECT * FROM e_five JOIN f_six ON 1;
            UPDATE g_seven SET x = 1 ON CONFLICT DO UPDATE SET x = 2;
            DELETE FROM h_eight;
            ALTER TABLE i_nine RENAME TO own_nine;
            """;
        Assert.Equal(
            ["a_one", "b_two", "c_three", "d_four", "e_five", "f_six", "g_seven", "h_eight", "i_nine", "own_nine"],
            TablesNamed(sql).Order(StringComparer.Ordinal));
        Assert.Equal(["i_nine"], TakenOver(sql, "own_"));
    }

    private static IEnumerable<(string Source, string Text)> SqlOf(string module)
    {
        var assembly = Assembly.Load(SourceTree.ModulePrefix + module);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            yield return (resource, reader.ReadToEnd());
        }
        var folder = SourceTree.Modules().Single(m => m.Name == module).Folder;
        foreach (var file in folder.EnumerateFiles("*.cs", SearchOption.AllDirectories).Where(f => !IsBuildOutput(f)))
            yield return (Path.GetRelativePath(SourceTree.Root.FullName, file.FullName), File.ReadAllText(file.FullName));
    }

    private static bool IsBuildOutput(FileInfo file) =>
        file.FullName.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
        || file.FullName.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal);

    private static HashSet<string> TablesNamed(string sql) =>
        [.. TableReference().Matches(sql).Select(m => m.Groups["table"].Value).Where(t => !Keywords.Contains(t))];

    /// <summary>Tables a module takes over from another (<c>ALTER TABLE cards_x RENAME TO agents_x</c>): the one place it may name them.</summary>
    private static HashSet<string> TakenOver(string sql, string prefix) =>
        [.. Rename().Matches(sql).Where(m => m.Groups["to"].Value.StartsWith(prefix, StringComparison.Ordinal)).Select(m => m.Groups["from"].Value)];

    // SQLite's own tables, pragma functions and the JSON table-valued functions (a list bound as one parameter, SqlList).
    private static bool SqliteOwn(string table) =>
        table.StartsWith("sqlite_", StringComparison.Ordinal) || table.StartsWith("pragma_", StringComparison.Ordinal) || table is "json_each" or "json_tree";

    private static readonly HashSet<string> Keywords = ["SET", "SELECT", "VALUES", "IF", "DEFAULT"];

    [GeneratedRegex(@"\b(?:FROM|JOIN|INTO|UPDATE|TABLE|REFERENCES|RENAME TO)\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?<table>[A-Za-z_][A-Za-z0-9_]*)|\bINDEX\s+(?:IF\s+NOT\s+EXISTS\s+)?\w+\s+ON\s+(?<table>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex TableReference();

    [GeneratedRegex(@"\bALTER\s+TABLE\s+(?<from>\w+)\s+RENAME\s+TO\s+(?<to>\w+)")]
    private static partial Regex Rename();
}
