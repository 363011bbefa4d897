namespace LazyAf.Runner.Artifacts;

/// <summary>
/// The 64-bit FNV-1a hash, computed a piece at a time: the check that an artifact crossed the runner protocol whole. It
/// needs no crypto library (the native agent runs on boards without OpenSSL, which .NET's SHA-256 needs on Linux).
/// </summary>
public sealed class Fnv1a64
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    /// <summary>The hash of everything appended so far.</summary>
    public ulong Value { get; private set; } = OffsetBasis;

    /// <summary>Adds <paramref name="data"/> to the hash.</summary>
    public void Append(ReadOnlySpan<byte> data)
    {
        var hash = Value;
        foreach (var b in data)
            hash = (hash ^ b) * Prime;
        Value = hash;
    }
}
