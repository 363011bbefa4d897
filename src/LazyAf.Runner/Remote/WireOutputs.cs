using Google.Protobuf;
using LazyAf.Protocol.V1;
using LazyAf.Runner.Artifacts;
using LazyAf.Runner.Spool;

namespace LazyAf.Runner.Remote;

/// <summary>
/// What a finished step sends besides its log, after its last chunk and before its result: its test cases in batches,
/// its coverage, and each of its artifacts as an open, 64 KiB chunks and a close with the bytes' FNV-1a hash. The
/// artifacts are picked by the rules the in-process executor uses (<see cref="ArtifactFiles"/>) and copied into the
/// spool, so they are sent again with the result after a reconnect, like the log, even once the workspace is gone.
/// </summary>
internal sealed class WireOutputs
{
    /// <summary>The most bytes of an artifact one message carries, so other steps' log chunks pass between them.</summary>
    public const int ChunkBytes = 64 * 1024;

    // Cases go in batches well under the 4 MiB a message may be (a case's message is capped by the report reader).
    private const int BatchBytes = 1024 * 1024;

    private readonly List<RunnerMessage> _messages;
    private readonly string _artifacts;

    private WireOutputs(List<RunnerMessage> messages, string artifacts, int artifactCount, string? problem)
    {
        _messages = messages;
        _artifacts = artifacts;
        Artifacts = artifactCount;
        Problem = problem;
    }

    /// <summary>How many artifacts are sent.</summary>
    public int Artifacts { get; }

    /// <summary>Why the step's artifacts are not sent, naming the file; null when they are (or there are none).</summary>
    public string? Problem { get; }

    /// <summary>
    /// The outputs of <paramref name="result"/>, the step of <paramref name="spec"/> that ran in <paramref name="workspace"/>:
    /// its artifacts are copied into <paramref name="spool"/> (none for a cancelled step, whose files nobody asked for).
    /// </summary>
    public static WireOutputs Collect(string executionId, Protocol.V1.StepSpec spec, StepResult result, string workspace, StepSpool spool)
    {
        var messages = new List<RunnerMessage>();
        AddCases(messages, executionId, result.Tests);
        if (result.Coverage is { } coverage)
            messages.Add(new RunnerMessage { Coverage = WireResults.ToWire(executionId, coverage) });
        if (spec.Artifacts.Count == 0 || result.Outcome == StepOutcome.Cancelled)
            return new WireOutputs(messages, spool.ArtifactsDirectory, 0, null);

        var (files, problem) = ArtifactFiles.Select(workspace, spec.Artifacts, spec.MaxArtifactBytes > 0 ? spec.MaxArtifactBytes : long.MaxValue);
        if (problem is not null)
            return new WireOutputs(messages, spool.ArtifactsDirectory, 0, problem);
        var copied = new List<RunnerMessage>();
        try
        {
            Directory.CreateDirectory(spool.ArtifactsDirectory);
            for (var i = 0; i < files.Count; i++)
            {
                var (size, hash) = Copy(files[i].File.FullName, Path.Combine(spool.ArtifactsDirectory, $"{i}"));
                if (spec.MaxArtifactBytes > 0 && size > spec.MaxArtifactBytes)
                    throw new IOException($"it grew to {ArtifactFiles.Size(size)}, over the {ArtifactFiles.Size(spec.MaxArtifactBytes)} one artifact may take (Reports:MaxArtifactBytes)");
                copied.Add(new RunnerMessage { ArtifactOpen = new ArtifactOpen { ExecutionId = executionId, Name = files[i].Name, Size = size } });
                copied.Add(new RunnerMessage { ArtifactClose = new ArtifactClose { ExecutionId = executionId, Name = files[i].Name, Fnv1A64 = hash } });
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var name = files[copied.Count / 2].Name;
            Directory.Delete(spool.ArtifactsDirectory, recursive: true);
            return new WireOutputs(messages, spool.ArtifactsDirectory, 0, $"could not send artifact '{name}': {e.Message}; none kept");
        }
        messages.AddRange(copied);
        return new WireOutputs(messages, spool.ArtifactsDirectory, files.Count, null);
    }

    /// <summary>The outputs as the spool keeps them: their messages, one after another, each with its length.</summary>
    public byte[] ToBytes()
    {
        using var buffer = new MemoryStream();
        foreach (var message in _messages)
            message.WriteDelimitedTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>The outputs <see cref="ToBytes"/> kept in <paramref name="spool"/>, with its copies of the artifacts, for an agent that restarted.</summary>
    public static WireOutputs Restore(byte[] bytes, StepSpool spool)
    {
        ArgumentNullException.ThrowIfNull(spool);
        var messages = new List<RunnerMessage>();
        using var buffer = new MemoryStream(bytes);
        while (buffer.Position < buffer.Length)
            messages.Add(RunnerMessage.Parser.ParseDelimitedFrom(buffer));
        return new WireOutputs(messages, spool.ArtifactsDirectory, messages.Count(m => m.ArtifactOpen is not null), null);
    }

    /// <summary>Sends every output through <paramref name="send"/>, each artifact's bytes read back from the spool in chunks.</summary>
    public async Task SendAsync(Func<RunnerMessage, Task> send, CancellationToken ct)
    {
        var artifact = 0;
        foreach (var message in _messages)
        {
            await send(message);
            if (message.ArtifactOpen is { } open)
                await SendBytesAsync(open.ExecutionId, Path.Combine(_artifacts, $"{artifact++}"), send, ct);
        }
    }

    private static async Task SendBytesAsync(string executionId, string file, Func<RunnerMessage, Task> send, CancellationToken ct)
    {
        await using var input = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes, useAsync: true);
        var buffer = new byte[ChunkBytes];
        var offset = 0L;
        int read;
        while ((read = await input.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
        {
            await send(new RunnerMessage { ArtifactChunk = new ArtifactChunk { ExecutionId = executionId, Offset = offset, Data = ByteString.CopyFrom(buffer, 0, read) } });
            offset += read;
        }
    }

    private static void AddCases(List<RunnerMessage> messages, string executionId, TestSummary? tests)
    {
        if (tests is not { Cases.Count: > 0 })
            return;
        var batch = new TestResults { ExecutionId = executionId, CasesLeftOut = tests.CasesLeftOut };
        var bytes = 0;
        for (var i = 0; i < tests.Cases.Count; i++)
        {
            var wire = WireResults.ToWire(tests.Cases[i]);
            var size = wire.CalculateSize();
            if (batch.Cases.Count > 0 && bytes + size > BatchBytes)
            {
                messages.Add(new RunnerMessage { TestResults = batch });
                batch = new TestResults { ExecutionId = executionId, Offset = i, CasesLeftOut = tests.CasesLeftOut };
                bytes = 0;
            }
            batch.Cases.Add(wire);
            bytes += size;
        }
        messages.Add(new RunnerMessage { TestResults = batch });
    }

    private static (long Size, ulong Hash) Copy(string source, string target)
    {
        using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, ChunkBytes);
        using var output = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, ChunkBytes);
        var hash = new Fnv1a64();
        var buffer = new byte[ChunkBytes];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            hash.Append(buffer.AsSpan(0, read));
            output.Write(buffer, 0, read);
        }
        output.Flush(flushToDisk: false);
        return (output.Length, hash.Value);
    }
}
