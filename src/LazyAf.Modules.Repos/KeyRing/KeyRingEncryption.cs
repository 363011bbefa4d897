using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace LazyAf.Modules.Repos.KeyRing;

/// <summary>
/// Encrypts each data-protection key before it is written to the key ring, with AES-256-GCM under the key-encryption
/// key of <c>Repos:KeyRingKey</c>: a copy of the data directory (a backup, a stolen disk) without that setting cannot
/// decrypt the secrets in it.
/// </summary>
internal sealed class KeyRingEncryptor(byte[] keyEncryptionKey) : IXmlEncryptor
{
    public const int NonceBytes = 12;
    public const int TagBytes = 16;

    public static readonly XName Element = "lazyafEncryptedKey";

    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[TagBytes];
        using (var aes = new AesGcm(keyEncryptionKey, TagBytes))
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        var encrypted = new XElement(Element,
            new XAttribute("algorithm", "AES-256-GCM"),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("ciphertext", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(encrypted, typeof(KeyRingDecryptor));
    }
}

/// <summary>Decrypts what <see cref="KeyRingEncryptor"/> wrote; data protection creates it by type, with the host's services.</summary>
internal sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = KeyEncryptionKey.Of(services.GetRequiredService<IOptions<ReposOptions>>().Value)
            ?? throw new InvalidOperationException(
                $"the key ring in the data directory is encrypted, but Repos:{nameof(ReposOptions.KeyRingKey)} is not set: start the host with the key it was written with");
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("ciphertext")!);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, KeyRingEncryptor.TagBytes);
            aes.Decrypt(nonce, ciphertext, tag, plaintext);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new InvalidOperationException(
                $"the key ring in the data directory was encrypted with another Repos:{nameof(ReposOptions.KeyRingKey)} than this host's", e);
        }
        return XElement.Parse(Encoding.UTF8.GetString(plaintext));
    }
}

/// <summary>The key-encryption key of the settings, when one is set.</summary>
internal static class KeyEncryptionKey
{
    public const int Bytes = 32;

    public static byte[]? Of(ReposOptions options) =>
        string.IsNullOrWhiteSpace(options.KeyRingKey) ? null : Convert.FromBase64String(options.KeyRingKey.Trim());

    public static bool IsValid(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return true;
        var bytes = new byte[Bytes + 1];
        return Convert.TryFromBase64String(text.Trim(), bytes, out var written) && written == Bytes;
    }
}
