using System.CommandLine;

namespace LazyAf.Cli;

/// <summary>Which LazyAF the CLI talks to: <c>--server</c>, else <c>LAZYAF_SERVER</c>, else the local default.</summary>
internal static class ServerAddress
{
    public const string Variable = "LAZYAF_SERVER";
    public const string Default = "http://127.0.0.1:8080";

    public static Option<string?> CreateOption() => new("--server")
    {
        Description = $"LazyAF's URL (default: ${Variable}, else {Default})",
        Recursive = true,
    };

    /// <summary>The server's absolute http(s) URL; a <see cref="CliFailure"/> when what was given is not one.</summary>
    public static Uri Resolve(ParseResult parse, Option<string?> option, CliContext context)
    {
        var given = parse.GetValue(option) ?? context.Environment.GetValueOrDefault(Variable);
        var text = string.IsNullOrWhiteSpace(given) ? Default : given.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliFailure($"'{text}' is not an http(s) URL for the LazyAF server (from --server or ${Variable})");
        return uri;
    }
}
