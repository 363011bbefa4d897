using System.ComponentModel.DataAnnotations;

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
}
