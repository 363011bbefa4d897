using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Tests;

/// <summary>
/// A secret printed in any of the ways a step can print it (encoded, escaped, amid other text, one line at a time) is
/// masked so that decoding the masked output gives back no more than a few bytes of it.
/// </summary>
public sealed partial class SecretFormsTests
{
    // Every character that an encoding treats specially, a non-ASCII one, and a second line.
    public const string Secret = "p+q/r\"s\\t<u&v>w=xé\nline-two-Zk9";

    private static readonly JsonSerializerOptions NodeLike = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly byte[] SecretBytes = Encoding.UTF8.GetBytes(Secret);

    public static TheoryData<string> Printings() => [.. Printers.Keys];

    private static readonly Dictionary<string, (Func<string, string> Print, Func<string, byte[]> Decode)> Printers = new()
    {
        ["raw"] = (s => $"before {s} after", Encoding.UTF8.GetBytes),
        ["first line alone"] = (s => $"got {s.Split('\n')[0]} then", Encoding.UTF8.GetBytes),
        ["second line alone"] = (s => $"got {s.Split('\n')[1]} then", Encoding.UTF8.GetBytes),
        ["base64"] = (s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s)), Base64Fragments),
        ["base64 with a newline (echo | base64)"] = (s => Convert.ToBase64String(Encoding.UTF8.GetBytes(s + "\n")), Base64Fragments),
        ["base64 one byte in"] = (s => Convert.ToBase64String(Encoding.UTF8.GetBytes("x" + s + " tail")), Base64Fragments),
        ["base64 two bytes in"] = (s => Convert.ToBase64String(Encoding.UTF8.GetBytes("xy" + s + " tail")), Base64Fragments),
        ["base64url"] = (s => Convert.ToBase64String(Encoding.UTF8.GetBytes("x" + s)).Replace('+', '-').Replace('/', '_').TrimEnd('='), t => Base64Fragments(t.Replace('-', '+').Replace('_', '/'))),
        ["base64 of base64"] = (s => Convert.ToBase64String(Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(s)))), t => Base64Fragments(Encoding.ASCII.GetString(Base64Fragments(t)))),
        ["json (.NET default)"] = (s => JsonSerializer.Serialize(new { value = s }), JsonValue),
        ["json (Node)"] = (s => JsonSerializer.Serialize(new { value = s }, NodeLike), JsonValue),
        ["json (Python)"] = (s => PythonJson(s), JsonValue),
        ["url-encoded"] = (s => "https://x.test/?q=" + Uri.EscapeDataString(s), t => Encoding.UTF8.GetBytes(Uri.UnescapeDataString(t))),
        ["url-encoded, lower-case hex"] = (s => "q=" + LowerHex().Replace(Uri.EscapeDataString(s), m => m.Value.ToLowerInvariant()), t => Encoding.UTF8.GetBytes(Uri.UnescapeDataString(t))),
        ["form-encoded"] = (s => "q=" + WebUtility.UrlEncode(s), t => Encoding.UTF8.GetBytes(WebUtility.UrlDecode(t))),
        ["html"] = (s => $"<p>{WebUtility.HtmlEncode(s)}</p>", t => Encoding.UTF8.GetBytes(WebUtility.HtmlDecode(t))),
        ["xml"] = (s => $"<failure message=\"{System.Security.SecurityElement.Escape(s)}\"/>", t => Encoding.UTF8.GetBytes(WebUtility.HtmlDecode(t))),
    };

    [Theory]
    [MemberData(nameof(Printings))]
    public void A_secret_printed_this_way_is_masked_in_text(string printing)
    {
        var (print, decode) = Printers[printing];
        var masked = new SecretRedactor([Secret]).Redact(print(Secret));

        Assert.Contains(SecretRedactor.Mask, masked, StringComparison.Ordinal);
        AssertRecoversAtMostAFewBytes(decode(masked), masked);
    }

    [Theory]
    [MemberData(nameof(Printings))]
    public void A_secret_printed_this_way_is_masked_in_streamed_output_however_it_is_split(string printing)
    {
        var (print, decode) = Printers[printing];
        var bytes = Encoding.UTF8.GetBytes(print(Secret) + "\n");
        for (var split = 0; split <= bytes.Length; split += 3)
        {
            var masker = new SecretMasker(new SecretRedactor([Secret]));
            var output = new ArrayBufferWriter<byte>();
            masker.Write(bytes.AsSpan(0, split), output);
            masker.Write(bytes.AsSpan(split), output);
            masker.Complete(output);
            var masked = Encoding.UTF8.GetString(output.WrittenSpan).TrimEnd('\n');
            AssertRecoversAtMostAFewBytes(decode(masked), masked);
        }
    }

    [Fact]
    public void Short_secrets_are_masked_as_they_are_but_their_encodings_are_not_looked_for()
    {
        var forms = SecretForms.Of(["ab+", "long-enough+secret"]);

        Assert.Contains("ab+", forms);
        Assert.DoesNotContain("ab%2B", forms);
        Assert.Contains("long-enough%2Bsecret", forms);
        Assert.Equal(forms.OrderByDescending(f => f.Length), forms);
    }

    [Fact]
    public void Text_without_the_secret_is_left_as_it_is()
    {
        const string text = "plain output: p+q, line-two, Zk9 and cCtxL3Ii but nothing whole";
        Assert.Equal(text, new SecretRedactor([Secret]).Redact(text));
    }

    // Decoding what is left of a masked secret may give back a byte or three at its edges, never more.
    private static void AssertRecoversAtMostAFewBytes(byte[] decoded, string masked)
    {
        var run = LongestCommonRun(decoded, SecretBytes);
        Assert.True(run <= 3, $"{run} bytes of the secret can be decoded from: {masked}");
    }

    private static int LongestCommonRun(byte[] a, byte[] b)
    {
        var best = 0;
        var previous = new int[b.Length + 1];
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            for (var j = 1; j <= b.Length; j++)
            {
                if (a[i - 1] != b[j - 1])
                    continue;
                current[j] = previous[j - 1] + 1;
                best = Math.Max(best, current[j]);
            }
            previous = current;
        }
        return best;
    }

    // Every base64 run of the text decoded at each of the four character alignments it could have.
    private static byte[] Base64Fragments(string text)
    {
        var bytes = new List<byte>();
        foreach (Match run in Base64Run().Matches(text))
        {
            var value = run.Value.TrimEnd('=');
            for (var skip = 0; skip < 4 && skip < value.Length; skip++)
            {
                var usable = (value.Length - skip) / 4 * 4;
                if (usable > 0)
                    bytes.AddRange(Convert.FromBase64String(value.Substring(skip, usable)));
                bytes.Add(0);
            }
        }
        return [.. bytes];
    }

    // The masked line must still be JSON, and its value must not give the secret back.
    private static byte[] JsonValue(string json)
    {
        using var document = JsonDocument.Parse(json);
        return Encoding.UTF8.GetBytes(document.RootElement.GetProperty("value").GetString()!);
    }

    private static string PythonJson(string s)
    {
        var text = new StringBuilder("{\"value\": \"");
        foreach (var c in s)
        {
            text.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                < ' ' or > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return text.Append("\"}").ToString();
    }

    [GeneratedRegex("[A-Za-z0-9+/]{4,}=*")]
    private static partial Regex Base64Run();

    [GeneratedRegex("%[0-9A-F]{2}")]
    private static partial Regex LowerHex();
}
