using System.Collections;
using Microsoft.Win32.SafeHandles;

namespace LazyAf.Cli;

/// <summary>
/// Where one run of the CLI happens: its output streams, working directory and environment.
/// They are passed in rather than read from the process so that several runs can share one
/// process (the tests run many at once).
/// </summary>
/// <param name="Output">Where results go (stdout).</param>
/// <param name="Error">Where the one-line failure goes (stderr).</param>
/// <param name="WorkingDirectory">What relative paths are relative to, and where <c>land</c> runs by default.</param>
/// <param name="Environment">
/// Variables the CLI reads (<c>LAZYAF_SERVER</c>); every git it runs gets them too, on top of
/// what git inherits from this process.
/// </param>
public sealed record CliContext(TextWriter Output, TextWriter Error, string WorkingDirectory, IReadOnlyDictionary<string, string> Environment)
{
    /// <summary>What a command reads (stdin): git's credential requests.</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>Standard input as bytes, for a command that speaks a protocol over stdio (<c>lazyaf mcp</c>).</summary>
    public Stream InputStream { get; init; } = Stream.Null;

    /// <summary>Standard input is a terminal (not piped): <c>lazyaf debug shell</c> puts it in raw mode.</summary>
    public bool InputIsTerminal { get; init; }

    /// <summary>Standard output as bytes, for a command that speaks a protocol over stdio.</summary>
    public Stream OutputStream { get; init; } = Stream.Null;

    /// <summary>The real console, current directory and environment of this process.</summary>
    public static CliContext FromProcess()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            variables[(string)entry.Key] = entry.Value as string ?? "";
        return new CliContext(Console.Out, Console.Error, Directory.GetCurrentDirectory(), variables)
        {
            Input = Console.In,
            // Console's stream edits and echoes a terminal's lines itself; a terminal's bytes are read as they come instead.
            InputStream = Console.IsInputRedirected ? Console.OpenStandardInput() : new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0),
            OutputStream = Console.OpenStandardOutput(),
            InputIsTerminal = !Console.IsInputRedirected,
        };
    }

    /// <summary>A path as the user typed it, made absolute against <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
