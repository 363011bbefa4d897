namespace LazyAf.Cli.Git;

/// <summary>
/// Makes git ask <c>lazyaf git-credential</c> for LazyAF's URL — and only that helper, so no other helper
/// (a store, a keychain) is handed the token to keep.
/// </summary>
internal static class CredentialHelper
{
    /// <summary>The config entries, in order: an empty value resets the helpers git already has for the URL, then ours.</summary>
    public static IReadOnlyList<(string Key, string Value)> ConfigFor(Uri server, string? dataDir)
    {
        var key = $"credential.{server.GetLeftPart(UriPartial.Authority)}.helper";
        return [(key, ""), (key, Command(dataDir))];
    }

    /// <summary>
    /// <paramref name="environment"/> plus the helper as <c>GIT_CONFIG_*</c> entries after any already there, and the token
    /// (when the CLI has one) as <c>LAZYAF_TOKEN</c> for the helper to answer with: git runs it as its own child.
    /// </summary>
    public static Dictionary<string, string> EnvironmentFor(IReadOnlyDictionary<string, string> environment, Connection connection)
    {
        var result = new Dictionary<string, string>(environment, StringComparer.Ordinal);
        var count = result.TryGetValue("GIT_CONFIG_COUNT", out var existing) && int.TryParse(existing, out var n) ? n : 0;
        foreach (var (key, value) in ConfigFor(connection.Server, connection.DataDir))
        {
            result[$"GIT_CONFIG_KEY_{count}"] = key;
            result[$"GIT_CONFIG_VALUE_{count}"] = value;
            count++;
        }
        result["GIT_CONFIG_COUNT"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (connection.Token is { } token)
            result[ServerOptions.TokenVariable] = token;
        return result;
    }

    /// <summary>The shell snippet git runs (<c>!…</c>), with the action (<c>get</c>) appended by git.</summary>
    public static string Command(string? dataDir)
    {
        var words = Program().Append("git-credential");
        if (dataDir is not null)
            words = words.Concat(["--data-dir", dataDir]);
        return "!" + string.Join(' ', words.Select(Quote));
    }

    // The apphost or native binary when there is one, else the dotnet host and the CLI's dll (the tests run it that way).
    private static IEnumerable<string> Program()
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "lazyaf.dll");
        if (!File.Exists(dll))
            return [Environment.ProcessPath ?? "lazyaf"];
        var apphost = Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "lazyaf.exe" : "lazyaf");
        if (File.Exists(apphost))
            return [apphost];
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } path ? path
            : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
        return [host, dll];
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
