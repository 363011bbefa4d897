using Microsoft.AspNetCore.Http;

namespace LazyAf.Modules.Triggers.Features.Webhooks;

/// <summary>A delivery's raw bytes: the signature covers exactly these, so the body is read whole before any JSON.</summary>
internal static class WebhookBody
{
    /// <summary>The body; null when it is longer than <paramref name="limit"/> bytes (reading stops there).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
                return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
