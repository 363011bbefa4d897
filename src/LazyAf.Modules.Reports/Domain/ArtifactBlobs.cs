using System.Security.Cryptography;

namespace LazyAf.Modules.Reports.Domain;

/// <summary>
/// Artifact bytes stored by content under <c>{data}/artifacts/sha256/{ab}/{hash}</c>: a file two steps produce alike is
/// stored once. A copy is hashed while it is written to <c>tmp/</c> and moved into place only when complete.
/// </summary>
internal sealed class ArtifactBlobs(string root)
{
    private const int BufferBytes = 128 * 1024;

    private string Temp => Path.Combine(root, "tmp");

    /// <summary>Where the bytes of <paramref name="sha256"/> are.</summary>
    public string PathOf(string sha256) => Path.Combine(root, "sha256", sha256[..2], sha256);

    /// <summary>Copies <paramref name="source"/> in; returns its hash and length. A failed copy (a full disk) leaves nothing behind.</summary>
    public async Task<(string Sha256, long Size)> StoreAsync(string source, CancellationToken ct)
    {
        Directory.CreateDirectory(Temp);
        var temp = Path.Combine(Temp, Guid.NewGuid().ToString("N"));
        try
        {
            string sha;
            long size;
            await using (var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferBytes, useAsync: true))
            await using (var output = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, BufferBytes, useAsync: true))
            using (var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
            {
                var buffer = new byte[BufferBytes];
                int read;
                while ((read = await input.ReadAsync(buffer, ct)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                }
                await output.FlushAsync(ct);
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                size = output.Length;
            }
            var target = PathOf(sha);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (File.Exists(target))
                File.Delete(temp);
            else
                File.Move(temp, target);
            return (sha, size);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>Removes the bytes of <paramref name="sha256"/>, if there.</summary>
    public void Delete(string sha256) => File.Delete(PathOf(sha256));

    /// <summary>Removes copies left in <c>tmp/</c> by a host that stopped mid-copy, older than <paramref name="before"/>.</summary>
    public void DeleteStaleCopies(DateTime before)
    {
        if (!Directory.Exists(Temp))
            return;
        foreach (var file in new DirectoryInfo(Temp).EnumerateFiles().Where(f => f.LastWriteTimeUtc < before))
            file.Delete();
    }
}
