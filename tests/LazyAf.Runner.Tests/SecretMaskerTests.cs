using System.Buffers;
using System.Text;
using LazyAf.Runner.Logs;

namespace LazyAf.Runner.Tests;

public sealed class SecretMaskerTests
{
    [Theory]
    [InlineData("plain text, no secret")]
    [InlineData("abcdef at the start, then abcdef again, and abcabcdef overlapping")]
    [InlineData("the long one hunter2-extended hides the short hunter2")]
    [InlineData("a secret at the very end abcdef")]
    [InlineData("only a prefix at the end abcde")]
    public void Every_way_of_splitting_the_output_masks_the_same(string text)
    {
        string[] secrets = ["abcdef", "hunter2", "hunter2-extended"];
        var expected = text.Replace("hunter2-extended", "***", StringComparison.Ordinal)
            .Replace("abcdef", "***", StringComparison.Ordinal).Replace("hunter2", "***", StringComparison.Ordinal);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var masker = new SecretMasker(new SecretRedactor(secrets));
            var masked = new ArrayBufferWriter<byte>();
            masker.Write(bytes.AsSpan(0, split), masked);
            masker.Write(bytes.AsSpan(split), masked);
            masker.Complete(masked);
            Assert.Equal(expected, Encoding.UTF8.GetString(masked.WrittenSpan));
        }
    }

    [Fact]
    public void Byte_by_byte_output_is_masked_and_held_back_no_longer_than_needed()
    {
        var masker = new SecretMasker(new SecretRedactor(["abcdef"]));
        var masked = new ArrayBufferWriter<byte>();
        foreach (var b in "xxabcdefyyabcz"u8.ToArray())
            masker.Write([b], masked);

        // "abcz" cannot be a secret any more once the z came, so nothing is held back.
        Assert.Equal("xx***yyabcz", Encoding.UTF8.GetString(masked.WrittenSpan));
    }
}
