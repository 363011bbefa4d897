using System.ComponentModel.DataAnnotations;
using LazyAf.Modules.Repos.KeyRing;

namespace LazyAf.Modules.Repos;

/// <summary>The Repos module's settings (<c>Repos:*</c>).</summary>
internal sealed class ReposOptions
{
    public const string Section = "Repos";

    /// <summary>Who commits merges (<c>Repos:CommitterName</c>).</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string CommitterName { get; set; } = "LazyAF";

    /// <summary>The committer's e-mail (<c>Repos:CommitterEmail</c>).</summary>
    [Required(ErrorMessage = "must not be empty")]
    public string CommitterEmail { get; set; } = "lazyaf@localhost";

    /// <summary>
    /// The key that encrypts the data-protection key ring (<c>Repos:KeyRingKey</c>): 32 random bytes in base64
    /// (<c>openssl rand -base64 32</c>). Unset, the key ring is protected by file modes only.
    /// </summary>
    [KeyRingKey]
    public string? KeyRingKey { get; set; }
}

/// <summary>A key-encryption key: empty, or 32 bytes in base64.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class KeyRingKeyAttribute() : ValidationAttribute("must be 32 bytes in base64 (make one with: openssl rand -base64 32)")
{
    public override bool IsValid(object? value) => KeyEncryptionKey.IsValid(value as string);
}
