using System.Text;

namespace LazyAf.Runner.Agents;

/// <summary>
/// The whole lines a CLI appended to one of its record files since the last read: a line still being written stays
/// for the next read.
/// </summary>
internal sealed class AppendedLines
{
    private long _offset;

    public List<string> ReadNew(string file)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length <= _offset)
            return [];
        stream.Position = _offset;
        var bytes = new byte[stream.Length - _offset];
        stream.ReadExactly(bytes);
        var end = Array.LastIndexOf(bytes, (byte)'\n');
        if (end < 0)
            return [];
        _offset += end + 1;
        return [.. Encoding.UTF8.GetString(bytes, 0, end).Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
