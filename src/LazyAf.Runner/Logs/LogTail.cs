using System.Text;

namespace LazyAf.Runner.Logs;

/// <summary>The last bytes of a run's (masked) log in a fixed ring, so any amount of output costs the same memory.</summary>
internal sealed class LogTail(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private long _written;

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length >= _ring.Length)
            data = data[^_ring.Length..];
        var at = (int)(_written % _ring.Length);
        var first = Math.Min(data.Length, _ring.Length - at);
        data[..first].CopyTo(_ring.AsSpan(at));
        data[first..].CopyTo(_ring);
        _written += data.Length;
    }

    /// <summary>The tail as text; a character cut in half at the start is dropped.</summary>
    public override string ToString()
    {
        var length = (int)Math.Min(_written, _ring.Length);
        var bytes = new byte[length];
        var start = (int)((_written - length) % _ring.Length);
        var first = Math.Min(length, _ring.Length - start);
        _ring.AsSpan(start, first).CopyTo(bytes);
        _ring.AsSpan(0, length - first).CopyTo(bytes.AsSpan(first));
        var skip = 0;
        while (skip < bytes.Length && (bytes[skip] & 0xC0) == 0x80)
            skip++;
        return Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
    }
}
