using System.Text;
using LazyAf.Kernel;
using LazyAf.Modules.Execution.Data;

namespace LazyAf.Modules.Execution.Domain;

/// <summary>The end of an execution's stored output (secrets already masked), for the context of a later step.</summary>
internal sealed class ExecutionLogTail(LogStore logs)
{
    private const int TailChunks = 200;

    public async Task<string> ReadAsync(string id, int maxChars, CancellationToken ct)
    {
        if (!Ids.IsValid(id) || await logs.LastAsync(id, ct) is not { } last)
            return "";
        var chunks = await logs.ReadAsync(id, Math.Max(0, last.Seq - TailChunks), TailChunks, ct);
        var text = new StringBuilder();
        foreach (var chunk in chunks)
            text.Append(Encoding.UTF8.GetString(chunk.Data));
        return text.Length <= maxChars ? text.ToString() : text.ToString(text.Length - maxChars, maxChars);
    }
}
