using System.CommandLine;
using System.Net;

namespace LazyAf.Cli;

/// <summary>
/// Which LazyAF the CLI talks to and with what credential: <c>--server</c>/<c>LAZYAF_SERVER</c>, and
/// <c>--token</c>, else <c>LAZYAF_TOKEN</c>, else — for a server on this machine — the owner's token that the host
/// keeps in its data directory (<c>--data-dir</c>, else <c>LAZYAF_DATA_DIR</c>, else <c>~/.lazyaf</c>), which the
/// same OS user can read. A remote server never gets that file's token.
/// </summary>
internal sealed class ServerOptions
{
    public const string TokenVariable = "LAZYAF_TOKEN";
    public const string DataDirVariable = "LAZYAF_DATA_DIR";

    /// <summary>The file the host writes its owner's token to (the host's Access module names it the same).</summary>
    public const string OwnerTokenFile = "owner.token";

    public Option<string?> Server { get; } = ServerAddress.CreateOption();

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"A LazyAF token (default: ${TokenVariable}, else the owner's token of a local host's data directory)",
        Recursive = true,
    };

    public Option<string?> DataDir { get; } = new("--data-dir")
    {
        Description = $"The local host's data directory, where its owner's token is (default: ${DataDirVariable}, else ~/.lazyaf)",
        Recursive = true,
    };

    /// <summary>The server and the credential to send it.</summary>
    public Connection Connect(ParseResult parse, CliContext context) => ConnectTo(ServerAddress.Resolve(parse, Server, context), parse, context);

    /// <summary><paramref name="server"/> and the credential to send it (for git's credential requests, which name the server).</summary>
    public Connection ConnectTo(Uri server, ParseResult parse, CliContext context)
    {
        var dataDir = ExplicitDataDir(parse, context);
        if (parse.GetValue(Token) is { Length: > 0 } given)
            return new Connection(server, given.Trim(), "--token", dataDir);
        if (context.Environment.GetValueOrDefault(TokenVariable) is { Length: > 0 } fromEnvironment)
            return new Connection(server, fromEnvironment.Trim(), "$" + TokenVariable, dataDir);
        if (!IsLoopback(server))
            return new Connection(server, null, null, dataDir);
        var file = Path.Combine(dataDir ?? DefaultDataDir(context), OwnerTokenFile);
        return new Connection(server, ReadTokenFile(file), file, dataDir);
    }

    /// <summary>The data directory given (option or environment), or null for the default.</summary>
    public string? ExplicitDataDir(ParseResult parse, CliContext context) =>
        parse.GetValue(DataDir) is { Length: > 0 } option ? context.FullPath(option)
        : context.Environment.GetValueOrDefault(DataDirVariable) is { Length: > 0 } variable ? context.FullPath(variable)
        : null;

    /// <summary><c>~/.lazyaf</c> of the <c>HOME</c> the CLI runs with.</summary>
    public static string DefaultDataDir(CliContext context) =>
        Path.Combine(context.Environment.GetValueOrDefault("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".lazyaf");

    /// <summary>The token in <paramref name="file"/>, or null when there is none (or it cannot be read).</summary>
    public static string? ReadTokenFile(string file)
    {
        try
        {
            return File.Exists(file) && File.ReadAllText(file).Trim() is { Length: > 0 } token ? token : null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>True for <c>localhost</c> and loopback addresses: a server on this machine.</summary>
    public static bool IsLoopback(Uri server) =>
        server.IsLoopback || (IPAddress.TryParse(server.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}

/// <summary>A server and the token for it.</summary>
/// <param name="Server">The server's URL.</param>
/// <param name="Token">The token, or null when none was found.</param>
/// <param name="TokenSource">Where the token came from (or was looked for): <c>--token</c>, <c>$LAZYAF_TOKEN</c> or the owner token file.</param>
/// <param name="DataDir">A data directory given explicitly, for the credential helper to remember.</param>
internal sealed record Connection(Uri Server, string? Token, string? TokenSource, string? DataDir);
