using System.Text;

namespace LazyAf.Runner.Logs;

/// <summary>The last bytes of some output (a run's masked log, a debug command's) in a fixed ring, so any amount of output costs the same memory.</summary>
public sealed class LogTail(int capacity)
{
    private readonly byte[] _ring = new byte[capacity];
    private long _written;

    /// <summary>Whether more was appended than the ring keeps.</summary>
    public bool Truncated => _written > _ring.Length;

    /// <summary>Adds <paramref name="data"/>; what no longer fits at the start goes.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var length = data.Length;
        if (data.Length >= _ring.Length)
            data = data[^_ring.Length..];
        var at = (int)((_written + length - data.Length) % _ring.Length);
        var first = Math.Min(data.Length, _ring.Length - at);
        data[..first].CopyTo(_ring.AsSpan(at));
        data[first..].CopyTo(_ring);
        _written += length;
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
