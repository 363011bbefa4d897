namespace LazyAf.Runner.Logs;

/// <summary>Where a byte span can be cut without splitting a UTF-8 character.</summary>
internal static class Utf8
{
    /// <summary>
    /// The length of <paramref name="bytes"/> without a multi-byte character left incomplete at its end.
    /// Bytes that are not UTF-8 at all are never held back for more than three bytes, so binary output still flows.
    /// </summary>
    public static int CompleteLength(ReadOnlySpan<byte> bytes)
    {
        for (var back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            var b = bytes[^back];
            if ((b & 0xC0) == 0x80)
                continue;
            var needed = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return needed > back ? bytes.Length - back : bytes.Length;
        }
        return bytes.Length;
    }
}
