using System.Buffers;
using System.Text;

namespace LazyAf.Runner.Logs;

/// <summary>
/// Replaces every form of a secret (see <see cref="SecretForms"/>) with <c>***</c> in one output stream as it flows. Bytes that could be the start
/// of a secret are held back until the next write decides them, so a secret split across two writes
/// (or two chunks) is still caught; the hold-back is always shorter than the longest secret.
/// </summary>
internal sealed class SecretMasker
{
    private static readonly byte[] Mask = "***"u8.ToArray();
    private readonly byte[][] _secrets;
    private readonly SearchValues<byte> _firstBytes;
    private byte[] _held = [];

    public SecretMasker(SecretRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        // Longest first, so a form that contains a shorter one is masked whole.
        _secrets = [.. redactor.Forms.Select(Encoding.UTF8.GetBytes).OrderByDescending(s => s.Length)];
        _firstBytes = SearchValues.Create([.. _secrets.Select(s => s[0]).Distinct()]);
    }

    /// <summary>Masks <paramref name="data"/> into <paramref name="masked"/>, holding back a possible secret start.</summary>
    public void Write(ReadOnlySpan<byte> data, ArrayBufferWriter<byte> masked)
    {
        if (_secrets.Length == 0)
        {
            masked.Write(data);
            return;
        }
        if (_held.Length == 0)
        {
            Scan(data, masked, final: false);
            return;
        }
        var pending = ArrayPool<byte>.Shared.Rent(_held.Length + data.Length);
        _held.CopyTo(pending, 0);
        data.CopyTo(pending.AsSpan(_held.Length));
        Scan(pending.AsSpan(0, _held.Length + data.Length), masked, final: false);
        ArrayPool<byte>.Shared.Return(pending);
    }

    /// <summary>Releases what is held back: the output ended, so it was not a secret after all.</summary>
    public void Complete(ArrayBufferWriter<byte> masked)
    {
        var held = _held;
        _held = [];
        Scan(held, masked, final: true);
    }

    private void Scan(ReadOnlySpan<byte> pending, ArrayBufferWriter<byte> masked, bool final)
    {
        int decided = 0, at = 0;
        _held = [];
        while (at < pending.Length)
        {
            var next = pending[at..].IndexOfAny(_firstBytes);
            if (next < 0)
            {
                at = pending.Length;
                break;
            }
            at += next;
            // Held first: "hunter2" must wait while "hunter2-extended" may still be coming.
            if (!final && CouldBeginSecret(pending[at..]))
            {
                _held = pending[at..].ToArray();
                break;
            }
            var length = MatchAt(pending[at..]);
            if (length > 0)
            {
                masked.Write(pending[decided..at]);
                masked.Write(Mask);
                at += length;
                decided = at;
            }
            else
            {
                at++;
            }
        }
        masked.Write(pending[decided..at]);
    }

    private int MatchAt(ReadOnlySpan<byte> rest)
    {
        foreach (var secret in _secrets)
        {
            if (rest.StartsWith(secret))
                return secret.Length;
        }
        return 0;
    }

    // True when all of rest is the beginning of a longer secret: only more output can tell.
    private bool CouldBeginSecret(ReadOnlySpan<byte> rest)
    {
        foreach (var secret in _secrets)
        {
            if (secret.Length > rest.Length && secret.AsSpan().StartsWith(rest))
                return true;
        }
        return false;
    }
}
