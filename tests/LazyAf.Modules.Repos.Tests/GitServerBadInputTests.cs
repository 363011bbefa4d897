using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LazyAf.Testing;

namespace LazyAf.Modules.Repos.Tests;

public sealed class GitServerBadInputTests(LazyAfHostFixture fixture) : IClassFixture<LazyAfHostFixture>, IDisposable
{
    private const string UnknownId = "0123456789abcdef0123456789abcdef";
    private readonly TempDir _work = new();

    public void Dispose() => _work.Dispose();

    [Theory]
    [InlineData("GET", "info/refs?service=git-upload-pack")]
    [InlineData("GET", "info/refs?service=git-receive-pack")]
    [InlineData("POST", "git-upload-pack")]
    [InlineData("POST", "git-receive-pack")]
    [InlineData("GET", "HEAD")]
    public async Task Unknown_repos_are_404_on_every_git_endpoint(string method, string path)
    {
        foreach (var repo in new[] { UnknownId, "not-an-id", "DEMO" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/git/{repo}.git/{path}");
            await (await fixture.Host.Client.SendAsync(request)).ProblemAsync(HttpStatusCode.NotFound);
        }
        var clone = await TestGit.TryAsync(_work.Path, "clone", fixture.Host.GitUrl(UnknownId), _work.Combine("x"));
        Assert.False(clone.Succeeded);
    }

    [Theory]
    [InlineData("?service=git-upload-archive")]
    [InlineData("?service=git-foo")]
    [InlineData("")]
    public async Task Unknown_services_and_the_dumb_protocol_are_refused(string query)
    {
        var id = await fixture.Host.CreateRepoAsync("svc-" + Guid.NewGuid().ToString("N")[..8]);
        await (await fixture.Host.Client.GetAsync($"/git/{id}.git/info/refs{query}")).ProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_request_with_the_wrong_content_type_is_refused()
    {
        var id = await fixture.Host.CreateRepoAsync("ctype");
        using var content = new ByteArrayContent("0000"u8.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        await (await fixture.Host.Client.PostAsync($"/git/{id}.git/git-receive-pack", content)).ProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Theory]
    [InlineData("/git/../../etc/passwd.git/HEAD")]
    [InlineData("/git/%2e%2e/%2e%2e/etc.git/HEAD")]
    [InlineData("/git/..%2f..%2fetc.git/HEAD")]
    [InlineData("/git/%2Fetc%2Fpasswd.git/HEAD")]
    [InlineData("/git//etc.git/HEAD")]
    [InlineData("/git/{id}.git/../../lazyaf.db")]
    [InlineData("/git/{id}.git/..%2f..%2flazyaf.db")]
    [InlineData("/git/{id}.git/objects/info/packs")]
    [InlineData("/git/{id}.git/config")]
    [InlineData("/git/{id}%2f..%2f{id}.git/HEAD")]
    public async Task Traversal_and_odd_paths_are_4xx_and_reveal_nothing(string path)
    {
        var id = await fixture.Host.CreateRepoAsync("trav-" + Guid.NewGuid().ToString("N")[..8]);
        var outside = Path.Combine(fixture.Host.DataDir, "outside.txt");
        await File.WriteAllTextAsync(outside, "untouched");
        var url = new Uri(fixture.Host.BaseUrl + path.Replace("{id}", id, StringComparison.Ordinal),
            new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });

        using var response = await fixture.Host.Client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.DoesNotContain("ref:", body, StringComparison.Ordinal);
        Assert.DoesNotContain("SQLite", body, StringComparison.Ordinal);
        Assert.Equal("untouched", await File.ReadAllTextAsync(outside));
    }

    [Fact]
    public async Task A_truncated_or_garbled_pack_is_rejected_and_the_refs_stay()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "bad-pack");
        var oldSha = await repo.GitAsync("rev-parse", "HEAD");
        var newSha = await repo.CommitAsync("new.txt", string.Concat(Enumerable.Repeat("some content\n", 2000)), "New commit");
        var pack = await PackAsync(repo.WorkTree, $"{oldSha}..{newSha}");
        var pushesBefore = (await repo.PushesAsync()).Length;

        var command = PktLine($"{oldSha} {newSha} refs/heads/main\0report-status\n") + "0000";
        byte[][] badBodies =
        [
            [.. Encoding.ASCII.GetBytes(command), .. pack.AsSpan(0, pack.Length / 2)],
            [.. Encoding.ASCII.GetBytes(command), .. "PACK\0\0\0\u0002garbage-garbage-garbage"u8],
            [.. Encoding.ASCII.GetBytes(command[..20])],
        ];
        foreach (var body in badBodies)
        {
            using var response = await ReceivePackAsync(repo.Id, body);
            Assert.DoesNotContain("ok refs/heads/main", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(oldSha, await repo.RemoteShaAsync("main"));
        }
        Assert.Equal(pushesBefore, (await repo.PushesAsync()).Length);

        // The same request, whole, is accepted: the rejections above were about the damage, not the format.
        using var whole = await ReceivePackAsync(repo.Id, [.. Encoding.ASCII.GetBytes(command), .. pack]);
        Assert.Contains("ok refs/heads/main", await whole.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(newSha, await repo.RemoteShaAsync("main"));
    }

    [Fact]
    public async Task A_legacy_zero_padded_tree_mode_is_accepted_and_a_tree_with_duplicate_entries_is_refused_with_gits_reason()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "legacy-modes");
        await repo.CommitAsync("a.txt", "a\n", "a");
        var blobId = await repo.GitAsync("rev-parse", "HEAD:a.txt");
        async Task<string> CommitOfTreeAsync(string entries)
        {
            // Raw tree bytes, as an old git wrote them: git itself would never write either of these trees today.
            var raw = entries.Split('|').SelectMany(mode => (byte[])[.. Encoding.ASCII.GetBytes(mode + " a.txt\0"), .. Convert.FromHexString(blobId)]).ToArray();
            var file = _work.Combine($"tree-{Guid.NewGuid():N}");
            await File.WriteAllBytesAsync(file, raw);
            var tree = await repo.GitAsync("hash-object", "-t", "tree", "--literally", "-w", file);
            return await repo.GitAsync("commit-tree", tree, "-p", "HEAD", "-m", "legacy tree");
        }

        var legacy = await CommitOfTreeAsync("0100644");
        await repo.PushAsync($"{legacy}:refs/heads/main");
        Assert.Equal(legacy, await repo.RemoteShaAsync("main"));

        var duplicate = await CommitOfTreeAsync("100644|100644");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => repo.PushAsync($"{duplicate}:refs/heads/dup"));
        Assert.Contains("remote: error:", refused.Message, StringComparison.Ordinal);
        Assert.Contains("duplicateEntries", refused.Message, StringComparison.Ordinal);
        Assert.Null(await repo.RemoteShaAsync("dup"));
    }

    [Fact]
    public async Task Gzipped_protocol_v2_requests_are_understood()
    {
        var repo = await SeededRepo.CreateAsync(fixture.Host, _work, "gzip-v2");
        var mainSha = await repo.GitAsync("rev-parse", "HEAD");
        var request = Encoding.ASCII.GetBytes(PktLine("command=ls-refs\n") + "0001" + PktLine("symrefs\n") + "0000");
        using var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
            await gzip.WriteAsync(request);

        using var content = new ByteArrayContent(gzipped.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-upload-pack-request");
        content.Headers.ContentEncoding.Add("gzip");
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/git/{repo.Id}.git/git-upload-pack") { Content = content };
        message.Headers.Add("Git-Protocol", "version=2");
        using var response = await fixture.Host.Client.SendAsync(message);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-git-upload-pack-result", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains($"{mainSha} refs/heads/main", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_a_repo_while_it_is_being_cloned_leaves_other_repos_intact()
    {
        var doomed = await SeededRepo.CreateAsync(fixture.Host, _work, "doomed");
        var random = new Random(7);
        var blob = new byte[3 * 1024 * 1024];
        for (var i = 0; i < 4; i++)
        {
            random.NextBytes(blob);
            await File.WriteAllBytesAsync(Path.Combine(doomed.WorkTree, $"big{i}.bin"), blob);
        }
        await doomed.GitAsync("add", ".");
        await doomed.GitAsync("commit", "--quiet", "-m", "big files");
        await doomed.PushAsync("main");
        var survivor = await SeededRepo.CreateAsync(fixture.Host, _work, "survivor");
        var survivorSha = await survivor.GitAsync("rev-parse", "HEAD");

        var clone = TestGit.TryAsync(_work.Path, "clone", "--quiet", fixture.Host.GitUrl(doomed.Id), _work.Combine("doomed-clone"));
        await Task.Delay(50);
        Assert.Equal(HttpStatusCode.NoContent, (await fixture.Host.Client.DeleteAsync($"/api/repos/{doomed.Id}")).StatusCode);
        await clone;

        Assert.False(Directory.Exists(doomed.BarePath));
        Assert.Equal("", await TestGit.RunAsync(survivor.BarePath, "fsck", "--full", "--no-dangling"));
        await TestGit.RunAsync(_work.Path, "clone", "--quiet", fixture.Host.GitUrl(survivor.Id), _work.Combine("survivor-clone"));
        Assert.Equal(survivorSha, await TestGit.RunAsync(_work.Combine("survivor-clone"), "rev-parse", "HEAD"));
    }

    private async Task<HttpResponseMessage> ReceivePackAsync(string repoId, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-git-receive-pack-request");
        return await fixture.Host.Client.PostAsync($"/git/{repoId}.git/git-receive-pack", content);
    }

    private static async Task<byte[]> PackAsync(string workTree, string range)
    {
        var start = new System.Diagnostics.ProcessStartInfo("git", ["pack-objects", "--stdout", "--revs", "--quiet"])
        {
            WorkingDirectory = workTree,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        await process.StandardInput.WriteLineAsync(range);
        process.StandardInput.Close();
        using var pack = new MemoryStream();
        await process.StandardOutput.BaseStream.CopyToAsync(pack);
        await process.WaitForExitAsync();
        return pack.ToArray();
    }

    private static string PktLine(string line) => $"{line.Length + 4:x4}{line}";
}
