namespace LazyAf.Testing;

/// <summary>
/// The owner's token of a data directory, found as the CLI finds it: the <c>owner.token</c> file the host writes at
/// its first start.
/// </summary>
public static class OwnerCredentials
{
    public const string FileName = "owner.token";

    /// <summary>The token, or null while the host has not made one.</summary>
    public static string? TokenOf(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
    }

    /// <summary>An API client of <paramref name="baseUrl"/> sending the owner's token of <paramref name="dataDir"/>, read at each request (so it may be made before the host starts).</summary>
    public static HttpClient Client(string baseUrl, string dataDir) => new(Handler(dataDir)) { BaseAddress = new Uri(baseUrl) };

    /// <summary>A handler sending the owner's token of <paramref name="dataDir"/>.</summary>
    public static TokenHandler Handler(string dataDir) => new(() => TokenOf(dataDir));
}
