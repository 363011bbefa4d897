using System.Buffers;
using System.Globalization;
using System.Net;
using System.Security;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LazyAf.Runner.Logs;

/// <summary>
/// Every form in which a step's output can carry a secret: the value itself, each of its lines, and each of those
/// JSON-escaped (as .NET, Node and Python write it), URL-encoded, XML/HTML-escaped, base64 and base64url at all three
/// alignments, and base64 of its base64 (a known way out). Maskers look for all of them.
/// </summary>
public static partial class SecretForms
{
    /// <summary>Derived forms are looked for only from secrets this long; shorter ones would mask ordinary text.</summary>
    public const int MinDerivedLength = 4;

    // A base64 run this short says too little to be a secret's and would mask ordinary words.
    private const int MinBase64Length = 8;

    /// <summary>The distinct forms of <paramref name="secrets"/>, longest first so a longer form is masked whole.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var forms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var secret in secrets.Where(s => s.Length > 0))
        {
            forms.Add(secret);
            foreach (var part in Parts(secret).Where(p => p.Length >= MinDerivedLength))
            {
                forms.Add(part);
                foreach (var form in Encodings(part))
                    forms.Add(form);
            }
        }
        return [.. forms.Where(f => f.Length > 0).OrderByDescending(f => f.Length).ThenBy(f => f, StringComparer.Ordinal)];
    }

    // The whole secret, and each line of one that spans lines (output often carries them one at a time).
    private static IEnumerable<string> Parts(string secret)
    {
        yield return secret;
        if (!secret.Contains('\n', StringComparison.Ordinal))
            yield break;
        foreach (var line in secret.Split('\n'))
            yield return line.TrimEnd('\r');
    }

    private static IEnumerable<string> Encodings(string text)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        yield return Json(text, JavaScriptEncoder.Default);
        yield return Json(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        yield return LowerHexEscapes(Json(text, JavaScriptEncoder.Default));
        yield return AsciiOnlyJson(text);
        yield return Uri.EscapeDataString(text);
        yield return LowerHexEscapes(Uri.EscapeDataString(text));
        yield return WebUtility.UrlEncode(text);
        yield return WebUtility.HtmlEncode(text);
        yield return SecurityElement.Escape(text);
        yield return Convert.ToBase64String(utf8);
        foreach (var core in Base64Cores(utf8))
        {
            yield return core;
            yield return Base64Url(core);
        }
        foreach (var core in Base64Cores(Encoding.ASCII.GetBytes(Convert.ToBase64String(utf8))))
            yield return core;
    }

    /// <summary>
    /// The base64 characters that depend on <paramref name="bytes"/> alone, wherever they sit in a longer encoded
    /// text: for each of the three places the first byte can fall in a 3-byte group, the encoding of the whole
    /// groups that follow. A secret printed amid other bytes and base64-encoded shows one of them.
    /// </summary>
    private static IEnumerable<string> Base64Cores(byte[] bytes)
    {
        for (var skip = 0; skip < 3; skip++)
        {
            var whole = (bytes.Length - skip) / 3 * 3;
            if (whole <= 0)
                continue;
            var core = Convert.ToBase64String(bytes, skip, whole);
            if (core.Length >= MinBase64Length)
                yield return core;
        }
    }

    private static string Base64Url(string base64) => base64.Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static string Json(string text, JavaScriptEncoder encoder)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder }))
            json.WriteStringValue(text);
        return Encoding.UTF8.GetString(buffer.WrittenSpan[1..^1]);
    }

    // Python's json.dumps: only quotes, backslashes and control characters escaped, and every non-ASCII character as \uxxxx.
    private static string AsciiOnlyJson(string text)
    {
        var relaxed = Json(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
        var escaped = new StringBuilder(relaxed.Length);
        foreach (var c in relaxed)
        {
            if (c < 0x80)
                escaped.Append(c);
            else
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
        }
        return escaped.ToString();
    }

    // %C3%A9 and \u00E9 are as common on the wire as %c3%a9 and \u00e9.
    private static string LowerHexEscapes(string text) => HexEscape().Replace(text, m => m.Value.ToLowerInvariant());

    [GeneratedRegex(@"%[0-9A-F]{2}|\\u[0-9A-F]{4}")]
    private static partial Regex HexEscape();
}
