using System.Text;

namespace LazyAf.Cli.Commands;

/// <summary>
/// Finds the in-band commands of <c>lazyaf debug shell</c> in what is typed, like ssh's <c>~.</c>: a line that starts
/// with <c>@</c> and one of <see cref="Known"/>, ended by Enter (CR or LF), is taken out of the input and returned as a
/// command; <c>@@</c> at a line's start types one <c>@</c>. Anything else goes through as typed, an unknown <c>@word</c>
/// included (with its Enter), as does <c>@</c> anywhere but at a line's start. Keys may come one at a time (raw mode) or
/// as whole lines (a pipe): the state carries over between <see cref="Read"/>s. Backspace edits a word being typed.
/// </summary>
internal sealed class InBandCommands
{
    /// <summary>The commands, without their <c>@</c>.</summary>
    public static readonly IReadOnlyList<string> Known = ["resume", "abort", "status", "extend"];

    private const byte At = (byte)'@';
    private const byte Return = (byte)'\r';
    private const byte NewLine = (byte)'\n';
    private const byte Delete = 0x7f;
    private const byte Backspace = 0x08;

    private readonly StringBuilder _word = new();
    private bool _atLineStart = true;
    private bool _inWord;
    private bool _tookReturn;

    /// <summary>What has been typed of a possible command so far (<c>@sta</c>), held back from the shell; empty when none.</summary>
    public string Pending => _inWord ? "@" + _word : "";

    /// <summary>Splits <paramref name="typed"/> into what goes to the shell and the commands it ended, in the order typed.</summary>
    public IReadOnlyList<Typed> Read(ReadOnlySpan<byte> typed)
    {
        var parts = new List<Typed>();
        var through = new List<byte>();
        void Flush()
        {
            if (through.Count == 0)
                return;
            parts.Add(new Typed([.. through], null));
            through.Clear();
        }
        foreach (var key in typed)
        {
            var tookReturn = _tookReturn;
            _tookReturn = false;
            if (!_inWord)
            {
                if (key == NewLine && tookReturn)
                    continue; // CRLF after a command: its LF is part of the Enter that ended it.
                if (key == At && _atLineStart)
                {
                    _inWord = true;
                    continue;
                }
                through.Add(key);
                _atLineStart = key is Return or NewLine;
                continue;
            }
            if (key == At && _word.Length == 0)
            {
                _inWord = false;
                _atLineStart = false;
                through.Add(At);
                continue;
            }
            if (key is Delete or Backspace)
            {
                if (_word.Length > 0)
                    _word.Length--;
                else
                    _inWord = false; // The @ itself was taken back: the line starts again.
                continue;
            }
            if (key is >= (byte)'a' and <= (byte)'z')
            {
                _word.Append((char)key);
                continue;
            }
            var word = _word.ToString();
            _inWord = false;
            _word.Clear();
            if (key is Return or NewLine && Known.Contains(word))
            {
                Flush();
                parts.Add(new Typed([], word));
                _atLineStart = true;
                _tookReturn = key == Return;
                continue;
            }
            through.Add(At);
            through.AddRange(Encoding.ASCII.GetBytes(word));
            through.Add(key);
            _atLineStart = key is Return or NewLine;
        }
        Flush();
        return parts;
    }

    /// <summary>Either bytes for the shell or, when <see cref="Command"/> is set, a command (its bytes are empty).</summary>
    public sealed record Typed(byte[] Bytes, string? Command);
}
