namespace LazyAf.Modules.Repos.Contracts;

/// <summary>What a head revision changed since it left its base, from their merge-base.</summary>
/// <param name="BaseSha">The base revision, resolved.</param>
/// <param name="HeadSha">The head revision, resolved.</param>
/// <param name="MergeBaseSha">Where head branched off base; null for unrelated histories (then every file is new).</param>
/// <param name="Additions">Lines added over all files.</param>
/// <param name="Deletions">Lines deleted over all files.</param>
/// <param name="Files">One entry per changed file.</param>
public sealed record RepoDiff(string BaseSha, string HeadSha, string? MergeBaseSha, int Additions, int Deletions, IReadOnlyList<FileChange> Files);

/// <summary>One changed file of a <see cref="RepoDiff"/>.</summary>
/// <param name="Path">The path in head.</param>
/// <param name="OldPath">The path in base when the file was renamed.</param>
/// <param name="Status"><c>added</c>, <c>modified</c>, <c>deleted</c>, <c>renamed</c>, <c>copied</c> or <c>type_changed</c>.</param>
/// <param name="Additions">Lines added.</param>
/// <param name="Deletions">Lines deleted.</param>
/// <param name="Binary">True when git treats the file as binary (no line counts, no patch lines).</param>
/// <param name="Patch">The unified diff of the file.</param>
public sealed record FileChange(string Path, string? OldPath, string Status, int Additions, int Deletions, bool Binary, string Patch);

/// <summary>A file read from a branch of a repo.</summary>
/// <param name="Path">Its path from the repository root.</param>
/// <param name="Content">Its content as UTF-8 text.</param>
public sealed record RepoFile(string Path, string Content);
