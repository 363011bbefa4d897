using System.Buffers;
using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using LazyAf.Modules.Access.Contracts;
using LazyAf.Modules.Repos.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace LazyAf.Modules.Repos.Features.GitSmartHttp;

/// <summary>
/// Runs git's own <c>upload-pack</c> or <c>receive-pack</c> in stateless-RPC mode for one HTTP
/// request, streaming the request body into it and its output back, so no pack is ever held in
/// memory whatever its size.
/// </summary>
internal sealed class GitServiceRun(BareRepositories repos, RefChangeRecorder recorder, ILogger<GitServiceRun> logger)
{
    private static readonly string[] LegacyFsckWarnings = ["zeroPaddedFilemode", "badTimezone", "missingSpaceBeforeDate"];

    /// <summary>When set, the only ref a push may update (the pre-receive hook reads it).</summary>
    public const string PushOnlyVariable = "LAZYAF_PUSH_ONLY";

    private const int CopyBufferSize = 64 * 1024;
    private static readonly TimeSpan AbandonedPushLimit = TimeSpan.FromSeconds(30);
    private static readonly SearchValues<char> ProtocolChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=:._-");

    /// <summary>The refs advertisement: <c>GET info/refs?service=…</c>.</summary>
    public Task AdvertiseAsync(HttpContext http, string repoId, GitService service) =>
        RunAsync(http, repoId, service, advertise: true);

    /// <summary>One RPC: <c>POST git-upload-pack</c> or <c>POST git-receive-pack</c>.</summary>
    public Task ServeAsync(HttpContext http, string repoId, GitService service) =>
        RunAsync(http, repoId, service, advertise: false);

    /// <summary>The <c>Git-Protocol</c> header (e.g. <c>version=2</c>) if it is well-formed; it becomes <c>GIT_PROTOCOL</c>.</summary>
    public static string? ProtocolOf(HttpRequest request)
    {
        var value = request.Headers["Git-Protocol"].ToString();
        return value.Length is > 0 and <= 256 && !value.AsSpan().ContainsAnyExcept(ProtocolChars) ? value : null;
    }

    private async Task RunAsync(HttpContext http, string repoId, GitService service, bool advertise)
    {
        var path = repos.PathOf(repoId);
        var protocol = ProtocolOf(http.Request);
        var environment = new Dictionary<string, string>();
        if (protocol is not null)
            environment["GIT_PROTOCOL"] = protocol;

        var args = new List<string>();
        string? journal = null;
        if (service.IsPush)
        {
            // A step's token may push only its own work branch; the pre-receive hook refuses every other ref.
            if (http.User.FindFirst(AccessClaims.PushBranch)?.Value is { } onlyBranch)
                environment[PushOnlyVariable] = "refs/heads/" + onlyBranch;
            args.AddRange(["-c", "core.hooksPath=" + repos.HooksDir]);
            // Every object is checked, but what old git versions wrote into real histories (redis has zero-padded tree
            // modes) is let through with a warning, as the large forges do; corruption is still refused.
            foreach (var legacy in LegacyFsckWarnings)
                args.AddRange(["-c", "receive.fsck." + legacy + "=warn"]);
            if (!advertise)
                environment[RefChangeRecorder.JournalVariable] = journal = recorder.NewJournal(repoId, "push");
        }
        args.AddRange([service.Command, "--stateless-rpc"]);
        if (advertise)
            args.Add("--advertise-refs");
        args.Add(path);

        PrepareResponse(http, advertise ? service.AdvertisementContentType : service.ResultContentType);
        if (advertise && protocol?.Contains("version=2", StringComparison.Ordinal) != true)
            await WriteServiceHeaderAsync(http.Response, service, http.RequestAborted);

        using var process = GitCli.Start(path, args, environment);
        var stderr = GitCli.TailAsync(process.StandardError, 4000);
        var ct = http.RequestAborted;
        var killed = false;
        try
        {
            var input = advertise ? CloseInput(process) : PumpRequestAsync(http.Request, process, ct);
            var output = process.StandardOutput.BaseStream.CopyToAsync(http.Response.Body, CopyBufferSize, ct);
            await Task.WhenAll(input, output);
            await process.WaitForExitAsync(ct);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidDataException or BadHttpRequestException)
        {
            // A push whose client went away is left to finish: git alone decides whether its refs move, and a git killed
            // mid-update would leave them locked. Anything else is killed.
            killed = journal is null || !await FinishesAsync(process);
            if (killed)
                Kill(process);
            logger.LogWarning("git {Service} for repo {RepoId} ended early: {Reason}", service.Command, repoId, ex.Message);
        }
        finally
        {
            // Whatever the client saw, the refs git moved are recorded.
            if (journal is not null)
                await recorder.RecordAsync(journal, killed, CancellationToken.None);
        }

        if (process.HasExited && process.ExitCode != 0)
            logger.LogWarning("git {Service} for repo {RepoId} exited with {ExitCode}: {Stderr}", service.Command, repoId, process.ExitCode, (await stderr).Trim());
    }

    private static void PrepareResponse(HttpContext http, string contentType)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = contentType;
        http.Response.Headers.CacheControl = "no-cache, max-age=0, must-revalidate";
        http.Response.Headers.Pragma = "no-cache";
        http.Response.Headers.Expires = "Fri, 01 Jan 1980 00:00:00 GMT";
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
    }

    private static async Task WriteServiceHeaderAsync(HttpResponse response, GitService service, CancellationToken ct)
    {
        // pkt-line: 4 hex digits of length (including themselves), the line, then a flush packet.
        var line = $"# service={service.Name}\n";
        var packet = $"{line.Length + 4:x4}{line}0000";
        await response.Body.WriteAsync(Encoding.ASCII.GetBytes(packet), ct);
    }

    private static Task CloseInput(Process process)
    {
        process.StandardInput.Close();
        return Task.CompletedTask;
    }

    private static async Task PumpRequestAsync(HttpRequest request, Process process, CancellationToken ct)
    {
        // A push may be any size: no request-body limit on these two endpoints.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = null;

        var gzip = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase);
        await using var gunzip = gzip ? new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true) : null;
        var body = (Stream?)gunzip ?? request.Body;
        var stdin = process.StandardInput.BaseStream;
        var buffer = new byte[CopyBufferSize];
        try
        {
            // Large batches from Kestrel, then a blocking write: git's index-pack drains its pipe 4 KiB at
            // a time, and waiting for it in the kernel costs far less CPU than thousands of async wake-ups.
            int read;
            while ((read = await body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, ct)) > 0)
                await Task.Run(() => stdin.Write(buffer, 0, read), ct);
        }
        finally
        {
            // End of input, also on a truncated body: git then rejects the incomplete pack and keeps its refs.
            process.StandardInput.Close();
        }
    }

    // Its input has ended (the pump closes it whatever happened), so git finishes on its own; nobody reads its report.
    private static async Task<bool> FinishesAsync(Process process)
    {
        using var limit = new CancellationTokenSource(AbandonedPushLimit);
        try
        {
            await process.StandardOutput.BaseStream.CopyToAsync(Stream.Null, limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            return false;
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
                process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the check and the kill.
        }
    }
}
