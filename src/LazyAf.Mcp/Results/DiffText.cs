using System.Text;
using System.Text.Json.Nodes;
using LazyAf.Mcp.Api;

namespace LazyAf.Mcp.Results;

/// <summary>
/// A diff answer of the API (<c>RepoDiff</c>: shas, counts, files with patches) as a model reads a diff: one summary
/// line, then each file's status, counts and unified patch.
/// </summary>
internal static class DiffText
{
    public static string Of(string subject, JsonNode diff)
    {
        var files = diff.Array("files");
        var text = new StringBuilder($"{subject}: {Short(diff.Str("base_sha"))}..{Short(diff.Str("head_sha"))} (merge base {Short(diff.Str("merge_base_sha"))}), "
            + $"{files.Count} file(s), +{diff.Text("additions")} -{diff.Text("deletions")}\n");
        foreach (var file in files)
        {
            var renamed = file.Str("old_path") is { } old && old != file.Str("path") ? $" (from {old})" : "";
            text.Append($"=== {file.Str("status")} {file.Str("path")}{renamed} +{file.Text("additions")} -{file.Text("deletions")}\n");
            text.Append(file?["binary"]?.GetValue<bool>() == true ? "(binary file)\n" : file.Str("patch") ?? "");
            if (text[^1] != '\n')
                text.Append('\n');
        }
        return text.ToString();
    }

    private static string Short(string? sha) => sha is { Length: > 12 } ? sha[..12] : sha ?? "none";
}
