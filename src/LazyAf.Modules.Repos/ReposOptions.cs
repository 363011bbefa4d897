using System.ComponentModel.DataAnnotations;
using LazyAf.Modules.Repos.Data;

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
    /// How old an unfinished push's quarantine (<c>objects/tmp_objdir-incoming-*</c>, left by a push killed mid-transfer)
    /// must be before it is deleted (<c>Repos:AbandonedPushAfter</c>); at start-up every one goes, no push being in flight.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00", ErrorMessage = "must be 0 or more, at most 30 days")]
    public TimeSpan AbandonedPushAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often abandoned push quarantines are looked for (<c>Repos:AbandonedPushCheckInterval</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00", ErrorMessage = "must be 10 ms to 1 day")]
    public TimeSpan AbandonedPushCheckInterval { get; set; } = TimeSpan.FromMinutes(10);

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
